namespace Winnow.NN.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019, https://arxiv.org/abs/1711.05101): <see cref="Adam"/> with
/// decoupled weight decay <c>w ← w·(1 − lr·λ)</c> applied before the Adam step, and PyTorch's AdamW
/// default λ = 1e-2.
/// </summary>
/// <remarks>Throws like <see cref="Adam"/> for out-of-range options.</remarks>
public sealed class AdamW : Adam
{
    /// <summary>AdamW over one group of <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay: true)
    {
    }

    /// <summary>AdamW over parameter groups; each group option left null takes the default given here.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(groups, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay: true)
    {
    }
}
