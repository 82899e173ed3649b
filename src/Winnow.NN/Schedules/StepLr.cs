namespace Winnow.NN.Schedules;

/// <summary>
/// PyTorch's <c>StepLR</c>: decays by <c>gamma</c> every <c>stepSize</c> periods,
/// <c>Factor(t) = gamma^⌊t / stepSize⌋</c>.
/// </summary>
/// <remarks>Stepped per epoch by default (see <see cref="ILrSchedule"/>).</remarks>
public sealed class StepLr : ILrSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSize"/> &lt; 1, or <paramref name="gamma"/> negative or not finite.</exception>
    public StepLr(int stepSize, double gamma = 0.1)
    {
        ScheduleChecks.AtLeast(nameof(StepLr), "stepSize", stepSize, 1, "It is the number of epochs between decays, e.g. 30.");
        ScheduleChecks.NonNegative(nameof(StepLr), "gamma", gamma, "It is the decay factor, e.g. 0.1.");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Periods between decays.</summary>
    public int StepSize { get; }

    /// <summary>Multiplicative decay applied at every multiple of <see cref="StepSize"/>.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public double Factor(int t)
    {
        ScheduleChecks.Index(nameof(StepLr), t);
        return Math.Pow(Gamma, t / StepSize);
    }
}
