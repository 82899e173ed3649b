using System.Diagnostics;
using Winnow.Autograd;
using Winnow.NN.Optim;

namespace Winnow.NN.Training;

/// <summary>
/// The one training loop (nanoGPT's train.py shape): for each epoch, set the lr, run every batch
/// through forward → loss (+ extra terms) → backward → hooks → optimizer step → hooks, evaluate,
/// then the epoch-end hooks. Each step runs in a <see cref="TensorScope"/>, so steps reuse buffers.
/// Deterministic for a given model, data order and seed. Reports through events; never prints.
/// </summary>
public sealed class Trainer
{
    private readonly Module _model;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;

    /// <summary>Creates a trainer for <paramref name="model"/> updated by <paramref name="optimizer"/>.</summary>
    public Trainer(Module model, Optimizer optimizer, TrainerOptions options)
    {
        options.Validate();
        _model = model;
        _optimizer = optimizer;
        _options = options;
    }

    /// <summary>Hooks called at the loop's fixed points, in registration order.</summary>
    public List<ITrainingHook> Hooks { get; } = [];

    /// <summary>Extra loss terms added to the task loss.</summary>
    public List<ILossTerm> LossTerms { get; } = [];

    /// <summary>Raised after every training step.</summary>
    public event Action<StepProgress>? StepCompleted;

    /// <summary>Raised after each epoch's evaluation and hooks (checkpoint here).</summary>
    public event Action<EpochMetrics>? EpochCompleted;

    /// <summary>
    /// Trains from <paramref name="startEpoch"/> (0, or the epoch after a resumed checkpoint) to
    /// <see cref="TrainerOptions.Epochs"/>. <paramref name="trainEpoch"/> yields the batches of a
    /// given epoch (its order must depend only on the epoch for resumes to be exact);
    /// <paramref name="evalBatches"/> (optional) yields the evaluation set.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between steps.</exception>
    public IReadOnlyList<EpochMetrics> Fit(Func<int, IEnumerable<LabeledBatch>> trainEpoch, int stepsPerEpoch, Func<IEnumerable<LabeledBatch>>? evalBatches = null, int startEpoch = 0, CancellationToken cancellation = default)
    {
        var ctx = new TrainingContext(_model, _optimizer, _options.Epochs, stepsPerEpoch) { Epoch = startEpoch, GlobalStep = (long)startEpoch * stepsPerEpoch };
        foreach (var hook in Hooks)
        {
            hook.OnTrainingStart(ctx);
        }

        var history = new List<EpochMetrics>();
        for (int epoch = startEpoch; epoch < _options.Epochs; epoch++)
        {
            ctx.Epoch = epoch;
            var metrics = TrainEpoch(ctx, trainEpoch(epoch), cancellation);
            if (evalBatches is not null)
            {
                var eval = Evaluator.Evaluate(_model, evalBatches(), cancellation);
                metrics = metrics with { TestLoss = eval.Loss, TestAccuracy = eval.Accuracy, EvalSeconds = eval.Seconds };
            }

            foreach (var hook in Hooks)
            {
                hook.OnEpochEnd(ctx, metrics);
            }

            history.Add(metrics);
            EpochCompleted?.Invoke(metrics);
        }

        return history;
    }

    private EpochMetrics TrainEpoch(TrainingContext ctx, IEnumerable<LabeledBatch> batches, CancellationToken cancellation)
    {
        _model.Train();
        if (_options.Schedule is not null && !_options.SchedulePerStep)
        {
            _optimizer.SetLrFactor(_options.Schedule.Factor(ctx.Epoch));
        }

        double lr = _optimizer.Lr;
        var sw = Stopwatch.StartNew();
        double lossSum = 0;
        long correct = 0;
        long samples = 0;
        var extraSums = LossTerms.ToDictionary(t => t.Name, _ => 0.0);
        int step = 0;
        foreach (var batch in batches)
        {
            cancellation.ThrowIfCancellationRequested();
            ctx.StepInEpoch = step;
            if (_options.Schedule is not null && _options.SchedulePerStep)
            {
                _optimizer.SetLrFactor(_options.Schedule.Factor((int)ctx.GlobalStep));
            }

            int n = batch.Labels.Length;
            using (TensorScope.Begin())
            {
                _optimizer.ZeroGrad();
                var logits = _model.Forward(batch.Images);
                var loss = Ops.CrossEntropy(logits, batch.Labels, _options.LabelSmoothing);
                float taskLoss = loss.Item();
                ctx.TaskLoss = taskLoss;
                foreach (var term in LossTerms)
                {
                    var extra = term.Compute(ctx);
                    if (extra is not null)
                    {
                        extraSums[term.Name] += extra.Item();
                        loss = Ops.Add(loss, extra);
                    }
                }

                float total = loss.Item();
                if (!float.IsFinite(total))
                {
                    throw new TrainingDivergedException(ctx.Epoch, step, total);
                }

                loss.Backward();
                foreach (var hook in Hooks)
                {
                    hook.AfterBackward(ctx);
                }

                _optimizer.Step();
                foreach (var hook in Hooks)
                {
                    hook.AfterStep(ctx);
                }

                lossSum += (double)taskLoss * n;
                correct += Ops.CountCorrect(logits, batch.Labels.Span);
                samples += n;
            }

            step++;
            ctx.GlobalStep++;
            StepCompleted?.Invoke(new StepProgress(ctx.Epoch, ctx.Epochs, step, ctx.StepsPerEpoch, lossSum / samples, (double)correct / samples, samples / sw.Elapsed.TotalSeconds));
        }

        double seconds = sw.Elapsed.TotalSeconds;
        return new EpochMetrics
        {
            Epoch = ctx.Epoch,
            LearningRate = lr,
            TrainLoss = samples > 0 ? lossSum / samples : double.NaN,
            TrainAccuracy = samples > 0 ? (double)correct / samples : double.NaN,
            ExtraLosses = extraSums.ToDictionary(kv => kv.Key, kv => step > 0 ? kv.Value / step : 0.0),
            TrainSeconds = seconds,
            ImagesPerSecond = seconds > 0 ? samples / seconds : 0,
        };
    }
}
