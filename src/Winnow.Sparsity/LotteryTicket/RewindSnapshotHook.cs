using Winnow.NN.Training;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// Takes the rewind snapshot during the dense training run: a copy of all weights and buffers after
/// exactly <see cref="Step"/> optimizer steps (at training start for step 0). Register it after any
/// hook that changes the weights in <c>AfterStep</c> (e.g. <see cref="Masks.HardMaskHook"/>), so the
/// copy is the state the next step starts from.
/// </summary>
public sealed class RewindSnapshotHook : ITrainingHook
{
    /// <summary>Creates a hook that snapshots after <paramref name="step"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public RewindSnapshotHook(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        Step = step;
    }

    /// <summary>The global step of the snapshot (optimizer steps completed).</summary>
    public long Step { get; }

    /// <summary>The snapshot, once taken.</summary>
    public ModelSnapshot? Snapshot { get; private set; }

    public void OnTrainingStart(TrainingContext context)
    {
        if (context.GlobalStep == Step)
        {
            Snapshot = ModelSnapshot.Capture(context.Model, Step);
        }
    }

    // GlobalStep is the 0-based index of the step that just ran, so Step steps are done when it is Step − 1.
    public void AfterStep(TrainingContext context)
    {
        if (context.GlobalStep + 1 == Step)
        {
            Snapshot = ModelSnapshot.Capture(context.Model, Step);
        }
    }
}
