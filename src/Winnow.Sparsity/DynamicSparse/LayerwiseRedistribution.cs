namespace Winnow.Sparsity.DynamicSparse;

/// <summary>"layerwise": every layer regrows exactly the number it lost, so per-layer densities stay fixed (SET paper, RigL).</summary>
public sealed class LayerwiseRedistribution : IRedistribution
{
    /// <inheritdoc/>
    public string Name => "layerwise";

    /// <inheritdoc/>
    public bool Layerwise => true;

    /// <inheritdoc/>
    public double Score(LayerView layer) => double.NaN;
}
