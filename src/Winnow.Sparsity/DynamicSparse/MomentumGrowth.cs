namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// "momentum" (Sparse Momentum): regrow the inactive positions with the largest |momentum|
/// (no momentum yet ⇒ all scores 0, ties by index).
/// </summary>
public sealed class MomentumGrowth : IGrowthCriterion
{
    /// <inheritdoc/>
    public string Name => "momentum";

    /// <inheritdoc/>
    public int Grow(LayerView layer, int count, Rng rng, DynamicSparseOptions options)
        => ScoreGrowth.Grow(layer.Mask, layer.Momentum ?? new float[layer.Count], count, options.GrowthScoresAllPositions);
}
