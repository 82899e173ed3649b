using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Distributions;

/// <summary>
/// "erk": Erdős–Rényi-Kernel, RigL's default (Evci et al. 2020, ALGORITHMS.md §4.5): raw density
/// r_l = (Σ dims / Π dims)^p — conv (out + in + kh + kw)/(out·in·kh·kw), linear (out + in)/(out·in),
/// p = <see cref="PowerScale"/> (rigl's <c>erk_power_scale</c>, default 1) — scaled by ε so the total
/// kept count is d·N over the masked tensors. While the largest ε·r_l exceeds 1 that layer is made
/// dense and ε re-solved with the rest of the budget (rigl's loop). Kept count k_l = round(ε·r_l·n_l),
/// half to even (rigl's random masks keep n − ⌊(1 − ε·r)·n⌋, at most one more per layer); the total
/// can differ from d·N by the rounding and is reported exactly. Layers RigL keeps dense by choice
/// (the first layer on CIFAR) are left out of the <see cref="MaskSet"/> instead
/// (<see cref="MaskableSelection.IncludeFirst"/>).
/// </summary>
public sealed class ErkDistribution : ScaledDensityDistribution
{
    private readonly double _powerScale = 1.0;

    /// <inheritdoc/>
    public override string Name => "erk";

    /// <summary>Exponent p of the raw density (rigl's <c>erk_power_scale</c>; 1 = ERK, 0 = uniform).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or not finite.</exception>
    public double PowerScale
    {
        get => _powerScale;
        init => _powerScale = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(PowerScale), value, "The ERK power scale must be a finite number ≥ 0 (1 = ERK, rigl's default; 0 = uniform).");
    }

    /// <summary>r_l = (Σ dims / Π dims)^p of the weight.</summary>
    public override double RawDensity(MaskTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        double sum = 0, product = 1;
        foreach (int d in target.Weight.Shape)
        {
            sum += d;
            product *= d;
        }

        return PowerScale == 1 ? sum / product : Math.Pow(sum / product, PowerScale);
    }
}
