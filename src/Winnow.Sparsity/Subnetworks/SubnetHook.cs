using Winnow.NN.Training;

namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// The training-loop side of a subnetwork search: keeps the global threshold current (start, after
/// every step, and at each epoch start with the cubic keep-fraction ramp) and applies the reference's
/// "network is not learning" abort. The layer-wise variant needs no hook for its masks (they are
/// recomputed in every forward pass).
/// </summary>
public sealed class SubnetHook(Subnetwork subnet) : ITrainingHook
{
    private double _best;

    /// <summary>Best test accuracy seen so far (fraction).</summary>
    public double BestAccuracy => _best;

    /// <inheritdoc/>
    public void OnTrainingStart(TrainingContext context) => SetEpoch(context.Epoch);

    /// <inheritdoc/>
    public void AfterStep(TrainingContext context) => subnet.Global?.Update();

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        _best = Math.Max(_best, metrics.TestAccuracy ?? 0);
        if (subnet.Options.AbortIfNotLearning && metrics.TestAccuracy is not null && context.Epoch >= 2 && _best < 0.02)
        {
            throw new NetworkNotLearningException(context.Epoch, _best);
        }

        // The next epoch's keep fraction is set here, before its first batch (the reference sets it at
        // the start of the epoch); after the last epoch the masks stay those of the final evaluation.
        if (context.Epoch + 1 < context.Epochs)
        {
            SetEpoch(context.Epoch + 1);
        }
    }

    private void SetEpoch(int epoch)
    {
        if (subnet.Global is { } g)
        {
            g.KeepFraction = GlobalThreshold.RampedKeepFraction(subnet.Options.KeepFraction, epoch, subnet.Options.RampEpochs);
            g.Update();
        }
    }
}
