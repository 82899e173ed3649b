namespace Winnow.NN.Layers;

/// <summary>Mean over the spatial dimensions: (N,C,H,W) → (N,C).</summary>
public sealed class GlobalAvgPool : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.GlobalAvgPool2d(input);
}
