using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Distributions;

/// <summary>
/// WHERE the kept weights go (rigl's third axis): how many weights each masked tensor keeps for an
/// overall density. Implementations: uniform, Erdős–Rényi, ERK (RigL's definition, layers capped at
/// dense and ε re-solved) and global (one threshold over all tensors' scores, so the per-layer counts
/// come from the scores). Global keeps exactly round(d·N); the per-layer distributions round each
/// layer (half to even), so their total can differ from d·N by the rounding — reports give the exact count.
/// </summary>
public interface IDensityDistribution
{
    /// <summary>Registry name ("uniform", "er", "erk", "global").</summary>
    string Name { get; }

    /// <summary>
    /// Kept count per target name for overall <paramref name="density"/> in (0, 1]. Score-driven
    /// distributions (global) read <paramref name="scores"/> (one array per target, same order);
    /// others ignore it.
    /// </summary>
    IReadOnlyDictionary<string, int> KeptCounts(IReadOnlyList<MaskTarget> targets, double density, IReadOnlyList<float[]> scores);
}
