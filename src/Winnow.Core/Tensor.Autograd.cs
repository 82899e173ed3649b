using Winnow.Autograd;

namespace Winnow;

public partial class Tensor
{
    /// <summary>Back-propagates from this tensor (a scalar loss, or any tensor with a seed of ones).</summary>
    public void Backward(Tensor? seed = null) => Graph.Backward(this, seed);

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction.</summary>
    public Tensor RequireGrad(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    internal Tensor? ViewBase => _base;
}
