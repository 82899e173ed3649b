namespace Winnow.NN.Schedules;

/// <summary>
/// Linear warm-up in front of another schedule (PyTorch's <c>LinearLR</c> followed by the inner
/// schedule, as <c>SequentialLR</c> chains them):
/// <code>
/// t &lt; W:  Factor(t) = (startFactor + (1 − startFactor)·t / W) · inner.Factor(0)
/// t ≥ W:  Factor(t) = inner.Factor(t − W)
/// </code>
/// so the ramp ends exactly where the inner schedule starts, and the inner schedule sees its own
/// index from 0 (a cosine over the remaining periods, as in nanoGPT's warm-up + cosine).
/// </summary>
/// <remarks>W = 0 gives the inner schedule unchanged. The default start factor 1/3 is PyTorch
/// <c>LinearLR</c>'s. Stepped in the same unit as the inner schedule (see <see cref="ILrSchedule"/>);
/// warm-up is commonly stepped per mini-batch, in which case the inner schedule is too.</remarks>
public sealed class LinearWarmup : ILrSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupSteps"/> &lt; 0, or <paramref name="startFactor"/> outside [0, 1].</exception>
    public LinearWarmup(int warmupSteps, ILrSchedule inner, double startFactor = 1.0 / 3.0)
    {
        ScheduleChecks.AtLeast(nameof(LinearWarmup), "warmupSteps", warmupSteps, 0, "It is the number of periods of the ramp; use 0 for no warm-up.");
        ArgumentNullException.ThrowIfNull(inner);
        ScheduleChecks.Between(nameof(LinearWarmup), "startFactor", startFactor, 0, 1, "It is the fraction of the lr used at t = 0, e.g. 0.1.");
        WarmupSteps = warmupSteps;
        Inner = inner;
        StartFactor = startFactor;
    }

    /// <summary>Length W of the ramp.</summary>
    public int WarmupSteps { get; }

    /// <summary>The schedule that follows the ramp.</summary>
    public ILrSchedule Inner { get; }

    /// <summary>Factor at t = 0 (relative to <c>inner.Factor(0)</c>).</summary>
    public double StartFactor { get; }

    /// <inheritdoc/>
    public double Factor(int t)
    {
        ScheduleChecks.Index(nameof(LinearWarmup), t);
        if (t >= WarmupSteps)
        {
            return Inner.Factor(t - WarmupSteps);
        }

        return (StartFactor + ((1 - StartFactor) * t / WarmupSteps)) * Inner.Factor(0);
    }
}
