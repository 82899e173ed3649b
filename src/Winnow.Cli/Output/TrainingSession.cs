using Winnow.Cli.Config;
using Winnow.NN.Optim;
using Winnow.NN.Training;

namespace Winnow.Cli.Output;

/// <summary>
/// Runs an experiment's <see cref="Trainer"/> with extra hooks under the console display, writing the
/// run directory after every epoch as `winnow train` does (checkpoint, metrics, summary). Used by
/// `winnow prune`; the training itself is the library's.
/// </summary>
public static class TrainingSession
{
    /// <summary>The live display on a terminal, plain lines otherwise.</summary>
    public static ITrainingDisplay CreateDisplay() => ConsoleMode.Interactive ? new LiveTrainingDisplay(Terminal.Create()) : new PlainTrainingDisplay(Console.Out);

    /// <summary>
    /// Trains <paramref name="e"/>.Model for <c>Config.Epochs</c> epochs with <paramref name="hooks"/>,
    /// appending to <paramref name="history"/>. After each epoch: <paramref name="saveCheckpoint"/>(epoch),
    /// metrics files, and <paramref name="summary"/>("running").
    /// </summary>
    /// <returns>0 when completed, 130 when interrupted (last epoch saved), 3 when the loss diverged.</returns>
    /// <remarks><paramref name="optimizer"/> and <paramref name="options"/> replace the experiment's own when given (`winnow subnet` trains only the scores).</remarks>
    public static int Run(RunDirectory run, Experiment e, IEnumerable<ITrainingHook> hooks, List<EpochMetrics> history, Action<int> saveCheckpoint, Func<string, object> summary, CancellationToken cancellation, Optimizer? optimizer = null, TrainerOptions? options = null)
    {
        var trainer = new Trainer(e.Model, optimizer ?? e.Optimizer, options ?? e.TrainerOptions);
        trainer.Hooks.AddRange(hooks);
        var display = CreateDisplay();
        trainer.StepCompleted += display.OnStep;
        trainer.EpochCompleted += m =>
        {
            history.Add(m);
            saveCheckpoint(m.Epoch);
            run.WriteMetrics(history);
            run.WriteSummary(summary("running"));
            display.OnEpoch(m, e.Config.Epochs);
        };

        try
        {
            display.Run(() => trainer.Fit(e.TrainBatches, e.TrainLoader.BatchesPerEpoch, e.EvalBatches, 0, cancellation));
            return 0;
        }
        catch (OperationCanceledException)
        {
            run.WriteSummary(summary("interrupted"));
            Console.Error.WriteLine(history.Count == 0
                ? $"Interrupted before the first epoch completed; nothing was checkpointed in {run.Path}."
                : $"Interrupted. Epoch {history[^1].Epoch + 1} (the last completed one) is saved in {run.Path}.");
            return 130;
        }
        catch (TrainingDivergedException ex)
        {
            run.WriteSummary(summary("diverged"));
            Console.Error.WriteLine($"error: {ex.Message} Run directory: {run.Path}.");
            return 3;
        }
    }
}
