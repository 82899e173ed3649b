namespace Winnow.NN.Layers;

/// <summary>(N, …) → (N, prod(…)); a view, no copy.</summary>
public sealed class Flatten : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten();
}
