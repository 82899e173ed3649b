namespace Winnow.NN.Training;

/// <summary>
/// Where sparsity methods plug into the one training loop (they never fork it). Every member has
/// an empty default, so a hook overrides only the points it needs:
/// training start → per step [loss terms → backward → <see cref="AfterBackward"/> → optimizer step →
/// <see cref="AfterStep"/>] → <see cref="OnEpochEnd"/> (after evaluation).
/// </summary>
public interface ITrainingHook
{
    /// <summary>Before the first step (and again after a resume, with the restored epoch).</summary>
    void OnTrainingStart(TrainingContext context)
    {
    }

    /// <summary>Gradients are ready, the optimizer has not stepped (e.g. mask gradients, clip).</summary>
    void AfterBackward(TrainingContext context)
    {
    }

    /// <summary>Weights were updated (e.g. re-apply a hard mask).</summary>
    void AfterStep(TrainingContext context)
    {
    }

    /// <summary>The epoch's training and evaluation are done (e.g. prune/regrow, temperature).</summary>
    void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
    }
}
