namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// The frozen-weight initialisers of edge-popup and biprop (ALGORITHMS.md §3.6): fan = fan_in, gain
/// √2 (ReLU, also for the BinAct models), σ = gain/√fan, optionally scaled by the keep fraction k.
/// </summary>
public static class SubnetInit
{
    /// <summary>The standard deviation σ for a weight of shape <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Scaling is on and k is outside (0, 1) for the reference mode or (0, 1] for the paper mode.</exception>
    public static double Sigma(ReadOnlySpan<int> shape, ScaleFanMode scale, double keepFraction)
    {
        double fan = Init.Fans(shape).FanIn;
        switch (scale)
        {
            case ScaleFanMode.ReferenceCode:
                if (!(keepFraction >= 0 && keepFraction < 1))
                {
                    throw new ArgumentOutOfRangeException(nameof(keepFraction), keepFraction, "The reference's scale_fan multiplies the fan by (1 − k) and needs a keep fraction below 1; use the unscaled init (or the paper's scaling) to keep everything.");
                }

                return Math.Sqrt(2.0) / Math.Sqrt(fan * (1 - keepFraction));
            case ScaleFanMode.Paper:
                if (!(keepFraction > 0 && keepFraction <= 1))
                {
                    throw new ArgumentOutOfRangeException(nameof(keepFraction), keepFraction, "The paper's scaled init divides σ by √k; the keep fraction must be in (0, 1].");
                }

                return Math.Sqrt(2.0) / Math.Sqrt(fan) / Math.Sqrt(keepFraction);
            default:
                return Math.Sqrt(2.0) / Math.Sqrt(fan);
        }
    }

    /// <summary>Fills <paramref name="weight"/> with the chosen initialisation, drawing from <paramref name="rng"/>.</summary>
    public static void Apply(Tensor weight, SubnetWeightInit init, ScaleFanMode scale, double keepFraction, Rng rng)
    {
        float sigma = (float)Sigma(weight.Shape, scale, keepFraction);
        var d = weight.Data;
        switch (init)
        {
            case SubnetWeightInit.KaimingNormal:
                rng.FillNormal(d, 0f, sigma);
                break;
            case SubnetWeightInit.SignedConstant:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = (rng.NextUInt64() >> 63) == 0 ? -sigma : sigma;
                }

                break;
            default:
                d.Fill(sigma);
                break;
        }
    }
}
