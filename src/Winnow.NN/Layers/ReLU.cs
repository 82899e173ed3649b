namespace Winnow.NN.Layers;

/// <summary>Element-wise max(x, 0).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Relu(input);
}
