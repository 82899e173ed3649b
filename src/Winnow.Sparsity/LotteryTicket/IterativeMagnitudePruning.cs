using System.Diagnostics;
using Winnow.NN;
using Winnow.NN.Training;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// Iterative magnitude pruning with rewinding: the lottery ticket procedure (Frankle &amp; Carbin
/// 2019, https://arxiv.org/abs/1803.03635; late rewinding, Frankle et al. 2020,
/// https://arxiv.org/abs/1912.05671; open_lth semantics, ALGORITHMS.md §4.2).
/// <code>
/// level 0:   train the dense network from step 0 to T (snapshot θ_k at the rewind step k)
/// level ℓ≥1: prune f of the remaining weights, one global |w| threshold (Pruner.PruneRemainingGlobal)
///            weight rewinding: θ ← θ_k (all weights and buffers); LR rewinding / fine-tuning: keep θ
///            retrain steps k…T with a fresh optimizer (fine-tuning: at the final LR); masked weights stay 0
/// </code>
/// Density after ℓ levels ≈ (1 − f)^ℓ over the masked tensors. With the control enabled, every
/// pruned level is also trained from a fresh initialisation at the same masks. The orchestrator
/// raises events (the model holds the run's trained weights during <see cref="PhaseCompleted"/>,
/// the moment to checkpoint) and returns the table as records; it never prints.
/// </summary>
public sealed class IterativeMagnitudePruning
{
    private readonly Module _model;
    private readonly LotteryTraining _training;
    private readonly string[] _ignore;

    /// <summary>Prepares IMP on <paramref name="model"/> (masks start dense).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or the rewind point is not before the end of training.</exception>
    /// <exception cref="ArgumentException">The mask selection names unknown tensors, or the control is asked for without a model factory.</exception>
    public IterativeMagnitudePruning(Module model, LotteryTraining training, LotteryOptions options)
    {
        options.Validate();
        _model = model;
        _training = training;
        Options = options;
        Masks = new MaskSet(model, options.Selection);
        RewindStep = options.Rewind.ToStep(training.StepsPerEpoch, training.TotalSteps);
        _ = TrainingWindow.From(RewindStep, training);
        string last = MaskableSelection.Candidates(model)[^1].Name;
        _ignore = (options.IgnoreOutputLayer ?? LotteryOptions.IgnoresOutputLayerByDefault(model)) && Masks.Contains(last) ? [last] : [];
        if (options.RandomReinitControl && training.CreateModel is null)
        {
            throw new ArgumentException("The random-reinitialisation control needs LotteryTraining.CreateModel to build freshly initialised weights.", nameof(training));
        }
    }

    public LotteryOptions Options { get; }

    /// <summary>The masks (current level's after each pruning step).</summary>
    public MaskSet Masks { get; }

    /// <summary>The rewind point as a global step.</summary>
    public long RewindStep { get; }

    /// <summary>Weights kept out of the pruning pool (open_lth's <c>pruning_layers_to_ignore</c>).</summary>
    public IReadOnlyList<string> IgnoredTensors => _ignore;

    /// <summary>A training run is about to start (weights already rewound or reinitialised and masked).</summary>
    public event Action<LotteryPhase>? PhaseStarting;

    /// <summary>After every training step.</summary>
    public event Action<LotteryPhase, StepProgress>? StepCompleted;

    /// <summary>After every epoch (with its evaluation).</summary>
    public event Action<LotteryPhase, EpochMetrics>? EpochCompleted;

    /// <summary>A run finished; the model holds its trained weights and <see cref="Masks"/> its masks.</summary>
    public event Action<PhaseResult>? PhaseCompleted;

    /// <summary>A level (ticket and control) is done.</summary>
    public event Action<LevelResult>? LevelCompleted;

    /// <summary>Runs levels 0…L and returns the table.</summary>
    /// <exception cref="TrainingDivergedException">A run's loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between steps.</exception>
    public LotteryResult Run(CancellationToken cancellation = default)
    {
        var levels = new List<LevelResult>();
        ModelSnapshot? rewind = null;
        for (int level = 0; level <= Options.Levels; level++)
        {
            if (level > 0)
            {
                Pruner.PruneRemainingGlobal(Masks, Options.PruneFraction, _ignore);
                if (Options.Mode == RetrainMode.WeightRewinding)
                {
                    rewind!.Restore(_model);
                }
            }

            var snapshot = level == 0 && Options.Mode == RetrainMode.WeightRewinding ? new RewindSnapshotHook(RewindStep) : null;
            var window = TrainingWindow.From(level == 0 ? 0 : RewindStep, _training, level > 0 && Options.Mode == RetrainMode.FineTuning);
            var ticket = Train(level, isControl: false, window, snapshot, cancellation);
            rewind ??= snapshot?.Snapshot;
            PhaseResult? control = null;
            if (level > 0 && Options.RandomReinitControl)
            {
                var trained = ModelSnapshot.Capture(_model);
                _model.LoadStateDict(_training.CreateModel!(Options.ControlSeed).StateDict());
                control = Train(level, isControl: true, TrainingWindow.From(RewindStep, _training), null, cancellation);
                trained.Restore(_model);
            }

            var (keptAll, totalAll) = CountAllWeights();
            var result = new LevelResult(level, Masks.Kept, Masks.Total, keptAll, totalAll, ticket, control);
            levels.Add(result);
            LevelCompleted?.Invoke(result);
        }

        return new LotteryResult(levels, Options);
    }

    private PhaseResult Train(int level, bool isControl, TrainingWindow window, ITrainingHook? extraHook, CancellationToken cancellation)
    {
        var phase = new LotteryPhase(level, Options.Levels, isControl, window.StartStep, _training.TotalSteps, Masks.Kept, Masks.Total);
        var trainer = new Trainer(_model, _training.CreateOptimizer(_model), window.Options);
        trainer.Hooks.Add(new HardMaskHook(Masks));
        if (extraHook is not null)
        {
            trainer.Hooks.Add(extraHook);
        }

        trainer.StepCompleted += p => StepCompleted?.Invoke(phase, p);
        trainer.EpochCompleted += m => EpochCompleted?.Invoke(phase, m);
        Masks.Apply();
        PhaseStarting?.Invoke(phase);
        var sw = Stopwatch.StartNew();
        var history = trainer.Fit(window.Batches(_training.TrainEpoch), _training.StepsPerEpoch, _training.EvalBatches, window.StartEpoch, cancellation);
        var result = new PhaseResult(phase, history, sw.Elapsed.TotalSeconds);
        PhaseCompleted?.Invoke(result);
        return result;
    }

    private (long Kept, long Total) CountAllWeights()
    {
        long kept = 0, total = 0;
        foreach (var t in MaskableSelection.Candidates(_model))
        {
            total += t.Count;
            kept += Masks.Contains(t.Name) ? Masks.KeptIn(t.Name) : t.Count;
        }

        return (kept, total);
    }
}
