namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// WHAT to drop (ALGORITHMS.md §2.5 c): deactivates active positions of <see cref="LayerView.Mask"/>
/// (weights are zeroed later, when the masks are applied). A layer-wise criterion removes the count it is
/// given per layer; a <see cref="Global"/> one first searches one threshold over all layers in
/// <see cref="Prepare"/> and then removes, per layer, what falls under it (the count is ignored).
/// </summary>
public interface IDropCriterion
{
    /// <summary>Registry name ("magnitude", "global_magnitude").</summary>
    string Name { get; }

    /// <summary>True: one threshold over all layers (sparse_learning's <c>global_prune</c>).</summary>
    bool Global => false;

    /// <summary>Runs before any layer is dropped; a global criterion searches its threshold here.</summary>
    /// <param name="layers">All layers, before pruning.</param>
    /// <param name="pruneRate">The prune rate of the global search (the reference uses the last layer's p_l).</param>
    /// <param name="baselineNonzero">Target active count B.</param>
    /// <returns>The search's outcome, or null for a layer-wise criterion.</returns>
    ThresholdSearch? Prepare(IReadOnlyList<LayerView> layers, double pruneRate, double baselineNonzero) => null;

    /// <summary>Drops weights of <paramref name="layer"/>; returns how many positions went from 1 to 0.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="count">Layer-wise removal count ⌈p_l·nnz_l⌉ (ignored by a global criterion).</param>
    int Drop(LayerView layer, int count);
}
