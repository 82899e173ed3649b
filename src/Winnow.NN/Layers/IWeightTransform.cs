namespace Winnow.NN.Layers;

/// <summary>
/// Replaces a layer's weight by a function of it in every forward pass — the hook through which
/// sparsity methods attach a learned soft mask (Continuous Sparsification) or a score top-k mask
/// with a straight-through gradient (edge-popup, biprop) to a <see cref="Linear"/> or
/// <see cref="Conv2d"/> without the layer knowing about masks. The result must have the weight's
/// shape; gradients flow through whatever ops the transform records.
/// </summary>
public interface IWeightTransform
{
    /// <summary>The effective weight used by the forward pass.</summary>
    Tensor Apply(Tensor weight);
}
