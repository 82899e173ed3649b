namespace Winnow.NN.Schedules;

/// <summary>A constant factor: <c>Factor(t) = factor</c> (1 by default, i.e. the base lr throughout).</summary>
/// <remarks>Unlike PyTorch's <c>ConstantLR</c> there is no switch-back iteration; combine with
/// <see cref="LinearWarmup"/> or another schedule for that.</remarks>
public sealed class ConstantLr : ILrSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative or not finite.</exception>
    public ConstantLr(double factor = 1.0)
    {
        ScheduleChecks.NonNegative(nameof(ConstantLr), "factor", factor, "Use 1 to keep the base learning rate.");
        Value = factor;
    }

    /// <summary>The constant factor.</summary>
    public double Value { get; }

    /// <inheritdoc/>
    public double Factor(int t)
    {
        ScheduleChecks.Index(nameof(ConstantLr), t);
        return Value;
    }
}
