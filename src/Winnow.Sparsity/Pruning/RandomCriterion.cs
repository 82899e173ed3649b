using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Pruning;

/// <summary>
/// Random score s_j ~ U[0, 1) (24-bit floats from the seeded <see cref="Rng"/>), drawn afresh on
/// every call, in target order. Keeping the top k is a uniformly random subset of size k: the random
/// pruning baseline (Liu et al. 2022; RigL's random initial masks keep exactly n − ⌊s·n⌋ per tensor).
/// Exact ties (probability ≈ 2⁻²⁴ per pair) are broken by index.
/// </summary>
public sealed class RandomCriterion(Rng rng) : IPruningCriterion
{
    private readonly Rng _rng = rng ?? throw new ArgumentNullException(nameof(rng));

    /// <inheritdoc/>
    public string Name => "random";

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="scores"/> is not the weight's length.</exception>
    public void Score(MaskTarget target, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(target);
        CriterionChecks.Length(Name, target, scores);
        for (int j = 0; j < scores.Length; j++)
        {
            scores[j] = _rng.NextFloat();
        }
    }
}
