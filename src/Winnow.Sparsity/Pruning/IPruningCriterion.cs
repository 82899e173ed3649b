using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Pruning;

/// <summary>
/// WHAT to keep (rigl's first axis): a score per weight, higher = more important. Pruning keeps
/// the highest-scoring entries; how many per layer is the <see cref="Distributions.IDensityDistribution"/>'s job.
/// </summary>
public interface IPruningCriterion
{
    /// <summary>Registry name (e.g. "magnitude", "random", "snip").</summary>
    string Name { get; }

    /// <summary>Writes one score per weight of <paramref name="target"/> into <paramref name="scores"/>.</summary>
    void Score(MaskTarget target, Span<float> scores);
}
