namespace Winnow.Sparsity.DynamicSparse;

/// <summary>"magnitude": r_l = mean |w| over active positions.</summary>
public sealed class MagnitudeRedistribution : IRedistribution
{
    /// <inheritdoc/>
    public string Name => "magnitude";

    /// <inheritdoc/>
    public double Score(LayerView layer) => MomentumRedistribution.MeanAbsActive(layer, layer.Target.Weight.Data.ToArray());
}
