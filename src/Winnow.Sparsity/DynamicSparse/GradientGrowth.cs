namespace Winnow.Sparsity.DynamicSparse;

/// <summary>"gradient" (RigL): regrow the inactive positions with the largest |∂L/∂w| of the dense gradient of the last mini-batch.</summary>
public sealed class GradientGrowth : IGrowthCriterion
{
    /// <inheritdoc/>
    public string Name => "gradient";

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No gradient is available (no backward pass yet).</exception>
    public int Grow(LayerView layer, int count, Rng rng, DynamicSparseOptions options)
        => ScoreGrowth.Grow(layer.Mask, layer.Gradient ?? throw new InvalidOperationException($"Gradient growth needs the dense gradient of '{layer.Target.Name}', but no backward pass has run yet."), count, options.GrowthScoresAllPositions);
}
