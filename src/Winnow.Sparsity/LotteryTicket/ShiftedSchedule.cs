using Winnow.NN.Schedules;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// <c>Factor(t) = inner.Factor(t + offset)</c>. A run resumed in the middle of an epoch starts the
/// trainer's step counter at the epoch boundary and skips the first <c>offset</c> batches, so a
/// per-step schedule must be read <c>offset</c> steps later to match the uninterrupted run.
/// </summary>
public sealed class ShiftedSchedule(ILrSchedule inner, int offset) : ILrSchedule
{
    /// <summary>The wrapped schedule.</summary>
    public ILrSchedule Inner { get; } = inner;

    /// <summary>Steps added to t.</summary>
    public int Offset { get; } = offset;

    /// <inheritdoc/>
    public double Factor(int t) => Inner.Factor(t + Offset);
}
