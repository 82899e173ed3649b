namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// WHAT to regrow (ALGORITHMS.md §2.5 e): activates up to <c>count</c> inactive positions of
/// <see cref="LayerView.Mask"/> (positions pruned earlier in the same update are eligible). A
/// <see cref="Global"/> criterion searches one threshold over all layers in <see cref="Prepare"/> and then
/// grows, per layer, what lies above it (the per-layer count is ignored).
/// </summary>
public interface IGrowthCriterion
{
    /// <summary>Registry name ("momentum", "gradient", "random", "momentum_neuron", "global_momentum_growth").</summary>
    string Name { get; }

    /// <summary>True: one threshold over all layers (sparse_learning's <c>global_growth</c>).</summary>
    bool Global => false;

    /// <summary>Runs after pruning, before any layer grows; a global criterion searches its threshold here.</summary>
    /// <param name="layers">All layers, after pruning.</param>
    /// <param name="total">Total growth sought, G = removed + adjusted_growth.</param>
    /// <returns>The search's outcome, or null for a layer-wise criterion.</returns>
    ThresholdSearch? Prepare(IReadOnlyList<LayerView> layers, double total) => null;

    /// <summary>Grows up to <paramref name="count"/> weights; returns how many positions went from 0 to 1.</summary>
    /// <param name="layer">The layer after pruning.</param>
    /// <param name="count">Requested growth.</param>
    /// <param name="rng">Seeded generator (random growth).</param>
    /// <param name="options">The switches (<see cref="DynamicSparseOptions.GrowthScoresAllPositions"/>, <see cref="DynamicSparseOptions.BernoulliRandomGrowth"/>).</param>
    int Grow(LayerView layer, int count, Rng rng, DynamicSparseOptions options);
}
