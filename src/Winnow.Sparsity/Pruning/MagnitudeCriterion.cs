using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Pruning;

/// <summary>
/// Magnitude score s_j = |w_j| of the current weights (ALGORITHMS.md §4.1; Han et al. 2015, the
/// IMP/lottery-ticket and gradual-pruning criterion). Pruned weights are zero after
/// <see cref="MaskSet.Apply"/>, so they score 0.
/// </summary>
public sealed class MagnitudeCriterion : IPruningCriterion
{
    /// <inheritdoc/>
    public string Name => "magnitude";

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="scores"/> is not the weight's length.</exception>
    public void Score(MaskTarget target, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(target);
        CriterionChecks.Length(Name, target, scores);
        System.Numerics.Tensors.TensorPrimitives.Abs(target.Weight.Data, scores);
    }
}
