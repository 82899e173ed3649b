namespace Winnow.NN.Schedules;

/// <summary>
/// biprop and edge-popup's <c>cosine_lr</c> policy (ALGORITHMS.md §3.9), set once per epoch e (0-based):
/// e &lt; w: factor (e + 1)/w; e ≥ w: ½·(1 + cos(π·(e − w)/(E − w))). Unlike <see cref="LinearWarmup"/>
/// the warm-up starts at 1/w (not 1/3) and the cosine spans the remaining E − w epochs.
/// </summary>
public sealed class WarmupCosineLr : ILrSchedule
{
    /// <summary>Creates the schedule for <paramref name="epochs"/> epochs with <paramref name="warmup"/> warm-up epochs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">epochs &lt; 1 or warmup outside [0, epochs).</exception>
    public WarmupCosineLr(int epochs, int warmup = 0)
    {
        ScheduleChecks.AtLeast(nameof(WarmupCosineLr), "epochs", epochs, 1, "It is the total number of epochs E.");
        if (warmup < 0 || warmup >= epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(warmup), warmup, $"warm-up epochs must be in [0, {epochs}) (fewer than the {epochs} epochs).");
        }

        Epochs = epochs;
        Warmup = warmup;
    }

    public int Epochs { get; }

    public int Warmup { get; }

    /// <inheritdoc/>
    public double Factor(int t)
    {
        ScheduleChecks.Index(nameof(WarmupCosineLr), t);
        return t < Warmup ? (t + 1.0) / Warmup : 0.5 * (1 + Math.Cos(Math.PI * (t - Warmup) / (Epochs - Warmup)));
    }
}
