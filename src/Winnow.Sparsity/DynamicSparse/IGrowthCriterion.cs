namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// WHAT to regrow (ALGORITHMS.md §2.5 e): activates up to <c>count</c> inactive positions of
/// <see cref="LayerView.Mask"/> (positions pruned earlier in the same update are eligible).
/// </summary>
public interface IGrowthCriterion
{
    /// <summary>Registry name ("momentum", "gradient", "random").</summary>
    string Name { get; }

    /// <summary>Grows up to <paramref name="count"/> weights; returns how many positions went from 0 to 1.</summary>
    /// <param name="layer">The layer after pruning.</param>
    /// <param name="count">Requested growth.</param>
    /// <param name="rng">Seeded generator (random growth).</param>
    /// <param name="options">The switches (<see cref="DynamicSparseOptions.GrowthScoresAllPositions"/>, <see cref="DynamicSparseOptions.BernoulliRandomGrowth"/>).</param>
    int Grow(LayerView layer, int count, Rng rng, DynamicSparseOptions options);
}
