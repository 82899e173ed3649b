using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Distributions;

/// <summary>
/// "uniform": every masked tensor keeps the same fraction, k_l = round(d·n_l), rounding half to even
/// (NumPy's and TensorFlow's round, which TF model_pruning uses for k in Zhu &amp; Gupta's gradual
/// pruning). Rounding rather than ⌈d·n⌉ (ALGORITHMS.md §4.1) keeps float noise from adding a weight:
/// 0.1·266,200 is 26,620.000000000004 in double. The total Σ_l k_l can differ from round(d·N) by up
/// to half the number of tensors; callers report the exact total (<see cref="Pruning.PruneReport"/>).
/// A tiny tensor can round to 0 kept weights.
/// </summary>
public sealed class UniformDistribution : IDensityDistribution
{
    /// <inheritdoc/>
    public string Name => "uniform";

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="density"/> is outside (0, 1].</exception>
    public IReadOnlyDictionary<string, int> KeptCounts(IReadOnlyList<MaskTarget> targets, double density, IReadOnlyList<float[]> scores)
    {
        ArgumentNullException.ThrowIfNull(targets);
        SparsityChecks.Density(density, nameof(density));
        return targets.ToDictionary(t => t.Name, t => (int)Math.Clamp(Math.Round(density * t.Count), 0, t.Count), StringComparer.Ordinal);
    }
}
