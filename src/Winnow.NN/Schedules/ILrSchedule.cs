namespace Winnow.NN.Schedules;

/// <summary>
/// A learning-rate schedule as a multiplicative factor of each parameter group's initial lr:
/// <c>lr_g(t) = initial_lr_g · Factor(t)</c>, applied with <c>optimizer.SetLrFactor(schedule.Factor(t))</c>.
/// </summary>
/// <remarks>
/// <para>t is a 0-based index of the period the factor is used for. Like PyTorch (where
/// <c>scheduler.step()</c> is called once at the end of every epoch), schedules are stepped per epoch
/// by default: before epoch t (t = 0, 1, …) the trainer sets the factor <c>Factor(t)</c>, which equals
/// PyTorch's lr after t calls of <c>scheduler.step()</c>. A schedule stepped per mini-batch uses the
/// global step index instead; the maths is the same, only the unit of t changes.</para>
/// <para>Implementations are pure functions of t (closed forms), so resuming from a checkpoint only
/// needs t.</para>
/// </remarks>
public interface ILrSchedule
{
    /// <summary>The lr factor for period <paramref name="t"/> (≥ 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative.</exception>
    double Factor(int t);
}
