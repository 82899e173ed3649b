namespace Winnow.NN.Schedules;

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c> in closed form (Loshchilov &amp; Hutter, SGDR,
/// https://arxiv.org/abs/1608.03983, without restarts), as a factor of the base lr:
/// <c>Factor(t) = minFactor + (1 − minFactor)·(1 + cos(π·t / tMax)) / 2</c>.
/// </summary>
/// <remarks>
/// <para>PyTorch's absolute <c>eta_min</c> corresponds to <c>minFactor = eta_min / base_lr</c>
/// (<see cref="FromEtaMin"/>); with several groups of different base lr the floor is proportional here,
/// whereas PyTorch uses the same absolute floor for every group.</para>
/// <para>Factor(0) = 1, Factor(tMax/2) = (1 + minFactor)/2, Factor(tMax) = minFactor. Like PyTorch's
/// closed form the cosine continues past tMax (rising again); set tMax to the number of epochs.
/// Stepped per epoch by default (see <see cref="ILrSchedule"/>).</para>
/// </remarks>
public sealed class CosineAnnealingLr : ILrSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tMax"/> &lt; 1, or <paramref name="minFactor"/> outside [0, 1].</exception>
    public CosineAnnealingLr(int tMax, double minFactor = 0)
    {
        ScheduleChecks.AtLeast(nameof(CosineAnnealingLr), "tMax", tMax, 1, "It is the number of epochs (or steps) of the half cosine, usually the total number of epochs.");
        ScheduleChecks.Between(nameof(CosineAnnealingLr), "minFactor", minFactor, 0, 1, "It is eta_min / base_lr, e.g. 0 to anneal to zero.");
        TMax = tMax;
        MinFactor = minFactor;
    }

    /// <summary>Period index at which the factor reaches its minimum.</summary>
    public int TMax { get; }

    /// <summary>Final factor (PyTorch's eta_min divided by the base lr).</summary>
    public double MinFactor { get; }

    /// <summary>Builds the schedule from PyTorch's absolute <paramref name="etaMin"/> and the base lr it applies to.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseLr"/> ≤ 0, or <paramref name="etaMin"/> outside [0, baseLr].</exception>
    public static CosineAnnealingLr FromEtaMin(int tMax, double etaMin, double baseLr)
    {
        if (!(baseLr > 0) || double.IsInfinity(baseLr))
        {
            throw new ArgumentOutOfRangeException(nameof(baseLr), baseLr, $"CosineAnnealingLr: option 'baseLr' = {ScheduleChecks.Format(baseLr)} is invalid; expected a finite value > 0.");
        }

        ScheduleChecks.Between(nameof(CosineAnnealingLr), "etaMin", etaMin, 0, baseLr, "eta_min is the final learning rate and cannot exceed the base lr.");
        return new CosineAnnealingLr(tMax, etaMin / baseLr);
    }

    /// <inheritdoc/>
    public double Factor(int t)
    {
        ScheduleChecks.Index(nameof(CosineAnnealingLr), t);
        return MinFactor + ((1 - MinFactor) * (1 + Math.Cos(Math.PI * t / TMax)) / 2);
    }
}
