namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Cosine decay p(t) = p_min + (p0 − p_min)·(1 + cos(π·t/T_h))/2 for t &lt; T_h = h·T, p_min after.
/// Sparse Momentum (<a href="https://arxiv.org/abs/1907.04840">Dettmers &amp; Zettlemoyer 2019</a>):
/// p0 = 0.5, p_min = 0.005, h = 1. RigL (<a href="https://arxiv.org/abs/1911.11134">Evci et al. 2020</a>):
/// α = p0 = 0.3, p_min = 0, h = 0.75 (the drop fraction reaches 0 where mask updates stop).
/// </summary>
public sealed class CosineRateSchedule(double initial = 0.5, double minimum = 0.005, double horizon = 1.0) : IPruneRateSchedule
{
    /// <inheritdoc/>
    public string Name => "cosine";

    /// <summary>p0.</summary>
    public double Initial { get; } = initial;

    /// <summary>p_min.</summary>
    public double Minimum { get; } = minimum;

    /// <summary>h: the decay ends at h·T.</summary>
    public double Horizon { get; } = horizon;

    /// <inheritdoc/>
    public double Rate(long step, long totalSteps)
    {
        double end = Horizon * totalSteps;
        if (end <= 0 || step >= end)
        {
            return Minimum;
        }

        return Minimum + (Initial - Minimum) * (1 + Math.Cos(Math.PI * step / end)) / 2;
    }
}
