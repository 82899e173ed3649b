namespace Winnow.NN.Layers;

/// <summary>
/// The binary activation of biprop's MPT-1/1 models ("BiRealAct", ALGORITHMS.md §3.7): forward
/// y = sign(x) with sign(0) = 0; backward the Bi-Real Net ApproxSign derivative
/// ∂L/∂x = ∂L/∂y·2·(1 − |clip(x, −1, 1)|) (Liu et al. 2018, https://arxiv.org/abs/1808.00278).
/// </summary>
public sealed class BiRealAct : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Sign(input, SignSurrogate.BiReal);
}
