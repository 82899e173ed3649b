using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Distributions;

/// <summary>
/// "er": Erdős–Rényi (Mocanu et al. 2018, SET; RigL's <c>erdos_renyi</c>): raw density
/// r_l = (n_in + n_out)/(n_in·n_out) from the weight's first two dimensions (out, in) — for a
/// convolution the in/out channels only, kernel sizes ignored — scaled by ε so that the total is
/// d·N; a layer whose density would exceed 1 is made dense and ε re-solved (loop, as RigL).
/// Kept count k_l = round(ε·r_l·n_l), half to even; the total can differ from d·N by the rounding.
/// </summary>
public sealed class ErdosRenyiDistribution : ScaledDensityDistribution
{
    /// <inheritdoc/>
    public override string Name => "er";

    /// <summary>r_l = (out + in)/(out·in) of the weight (out, in, …).</summary>
    public override double RawDensity(MaskTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        double o = target.Weight.Dim(0), i = target.Weight.Dim(1);
        return (o + i) / (o * i);
    }
}
