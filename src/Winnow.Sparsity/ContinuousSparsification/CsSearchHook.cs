using Winnow.NN.Optim;
using Winnow.NN.Schedules;
using Winnow.NN.Training;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>
/// Drives one search round inside the ordinary <see cref="Trainer"/>: sets β_e and the mask
/// optimizer's lr (same per-round epoch schedule as the weights) at the start of every epoch, steps
/// the mask-logit optimizer after the weight step (the Trainer's optimizer only owns the weights,
/// ALGORITHMS.md §1.6) and clears the logits' gradients, and, in round 0, takes the rewind snapshot
/// before epoch k (all weights and buffers incl. BN running statistics; no logits, no optimizer state).
/// </summary>
public sealed class CsSearchHook : ITrainingHook
{
    private readonly SoftMaskSet _masks;
    private readonly Optimizer _maskOptimizer;
    private readonly ILrSchedule? _schedule;
    private readonly double _finalTemperature;
    private readonly int? _rewindEpoch;

    /// <summary>A hook for one round; <paramref name="rewindEpoch"/> is set in round 0 only.</summary>
    public CsSearchHook(SoftMaskSet masks, Optimizer maskOptimizer, ILrSchedule? schedule, double finalTemperature, int? rewindEpoch)
    {
        _masks = masks;
        _maskOptimizer = maskOptimizer;
        _schedule = schedule;
        _finalTemperature = finalTemperature;
        _rewindEpoch = rewindEpoch;
    }

    /// <summary>The rewind snapshot, once taken.</summary>
    public ModelSnapshot? Snapshot { get; private set; }

    public void OnTrainingStart(TrainingContext context) => StartEpoch(context, context.Epoch);

    public void AfterStep(TrainingContext context)
    {
        _maskOptimizer.Step();
        _maskOptimizer.ZeroGrad();
    }

    public void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        if (context.Epoch + 1 < context.Epochs)
        {
            StartEpoch(context, context.Epoch + 1);
        }
    }

    private void StartEpoch(TrainingContext context, int epoch)
    {
        _masks.Beta = TemperatureSchedule.Beta(epoch, context.Epochs, _finalTemperature);
        if (_schedule is not null)
        {
            _maskOptimizer.SetLrFactor(_schedule.Factor(epoch));
        }

        if (epoch == _rewindEpoch)
        {
            Snapshot = ModelSnapshot.Capture(context.Model, (long)epoch * context.StepsPerEpoch);
        }
    }
}
