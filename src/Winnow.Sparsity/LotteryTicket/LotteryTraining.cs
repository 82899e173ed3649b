using Winnow.NN;
using Winnow.NN.Optim;
using Winnow.NN.Training;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// What iterative magnitude pruning needs to train the model at each level: a factory for a fresh
/// optimizer (called once per training run), the trainer options (epochs, LR schedule), the data,
/// and, for the random-reinitialisation control, a factory for a freshly initialised model of the
/// same architecture from a seed.
/// </summary>
/// <param name="CreateOptimizer">A new optimizer over the given model's parameters.</param>
/// <param name="Options">Epochs, schedule and label smoothing of one full training run.</param>
/// <param name="TrainEpoch">The training batches of an epoch (the order must depend only on the epoch).</param>
/// <param name="StepsPerEpoch">Batches per training epoch.</param>
/// <param name="EvalBatches">The evaluation set (test accuracy per epoch), or null.</param>
/// <param name="CreateModel">A freshly initialised model from a seed (needed by the control only).</param>
public sealed record LotteryTraining(
    Func<Module, Optimizer> CreateOptimizer,
    TrainerOptions Options,
    Func<int, IEnumerable<LabeledBatch>> TrainEpoch,
    int StepsPerEpoch,
    Func<IEnumerable<LabeledBatch>>? EvalBatches = null,
    Func<ulong, Module>? CreateModel = null)
{
    /// <summary>Optimizer steps of one full training run.</summary>
    public long TotalSteps => (long)Options.Epochs * StepsPerEpoch;
}
