using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.Kernels;
using Winnow.NN.Training;
using Winnow.Sparsity.LotteryTicket;
using Winnow.Sparsity.Reports;

namespace Winnow.Cli.Commands;

/// <summary>
/// `winnow lottery`: iterative magnitude pruning with rewinding (the lottery ticket procedure,
/// open_lth semantics). Writes config.json, summary.json, levels.csv/levels.jsonl and one folder per
/// level (level-00 … level-L: checkpoint with masks, metrics, sparsity.txt; reinit/ for the control).
/// </summary>
public static class LotteryCommand
{
    public static Command Create()
    {
        var command = new Command("lottery", "Find a lottery ticket by iterative magnitude pruning with rewinding (Frankle & Carbin 2019; open_lth): train, prune --prune-fraction of the remaining weights, rewind, retrain, for --levels levels; prints density vs accuracy.");
        var options = new ConfigOptions(command, ConfigVerbs.Lottery);
        command.SetAction((result, cancellation) => Task.FromResult(Cli.Run(() => Execute(result, options, cancellation))));
        return command;
    }

    private static int Execute(ParseResult result, ConfigOptions options, CancellationToken cancellation)
    {
        var config = options.Resolve(result, ConfigVerbs.Lottery);
        var lottery = SparsitySetup.Lottery(config);
        config.Out ??= ConfigOptions.DefaultOut(config, "lottery");
        Parallelism.MaxThreads = config.Threads == 0 ? Environment.ProcessorCount : config.Threads;
        using var e = Experiment.Build(config);
        var training = new LotteryTraining(e.CreateOptimizer, e.TrainerOptions, e.TrainBatches, e.TrainLoader.BatchesPerEpoch, e.EvalBatches, e.CreateModel);
        IterativeMagnitudePruning imp;
        try
        {
            imp = new IterativeMagnitudePruning(e.Model, training, lottery);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--rewind {config.Rewind} is invalid: {ex.Message.Split(" (Parameter")[0]}"));
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"--exclude/--dense-first: {Cli.UserMessage(ex)}");
        }

        var run = new RunDirectory(config.Out);
        run.WriteConfig(config);
        var console = Console.Out;
        console.WriteLine(Format.Invariant($"Winnow {Cli.Version}: lottery ticket search on {config.Model} ({imp.Masks.Total:N0} masked weights) with {e.Data.Spec.Title} — {e.TrainSet.Count:N0} train / {e.EvalSet.Count:N0} eval images from {e.Data.Location.Directory}"));
        console.WriteLine(Format.Invariant($"  {lottery.Levels} levels × {config.Epochs} epoch(s), prune {lottery.PruneFraction * 100:0.##}% of the remaining weights per level (global |w|), {Describe(lottery.Mode)} to {lottery.Rewind} (step {imp.RewindStep}){(imp.IgnoredTensors.Count > 0 ? $", {string.Join(", ", imp.IgnoredTensors)} not pruned" : "")}{(lottery.RandomReinitControl ? ", random-reinit control" : "")}"));

        var levels = new List<LevelResult>();
        var history = new List<EpochMetrics>();
        var sw = Stopwatch.StartNew();
        var display = TrainingSession.CreateDisplay();
        object Summarise(string status) => BuildSummary(config, e, levels, status, sw.Elapsed.TotalSeconds);
        imp.PhaseStarting += p =>
        {
            history.Clear();
            display.Note(Format.Invariant($"level {p.Level}/{p.Levels}{(p.IsControl ? " random-reinit control" : "")}: density {p.Density * 100:F2}% ({p.Kept:N0} of {p.Total:N0} weights), steps {p.StartStep}–{p.TotalSteps}"));
        };
        imp.StepCompleted += (_, s) => display.OnStep(s);
        imp.EpochCompleted += (p, m) =>
        {
            history.Add(m);
            Dir(run, p).WriteMetrics(history);
            display.OnEpoch(m, config.Epochs);
        };
        imp.PhaseCompleted += r =>
        {
            var dir = Dir(run, r.Phase);
            var extra = new Dictionary<string, string> { ["level"] = r.Phase.Level.ToString(CultureInfo.InvariantCulture), ["lottery_run"] = r.Phase.IsControl ? "random-reinit control" : "ticket" };
            RunCheckpoint.Save(dir.CheckpointFile, e, imp.Masks, r.History.Count > 0 ? r.History[^1].Epoch : null, extra);
            dir.WriteText("sparsity.txt", SparsityReport.Measure(e.Model, imp.Masks, e.TrainSet.Channels, e.TrainSet.Height).ToTable());
        };
        imp.LevelCompleted += l =>
        {
            levels.Add(l);
            LevelTable.Write(run, levels);
            run.WriteSummary(Summarise("running"));
        };

        try
        {
            display.Run(() => imp.Run(cancellation));
        }
        catch (OperationCanceledException)
        {
            run.WriteSummary(Summarise("interrupted"));
            Console.Error.WriteLine($"Interrupted after {levels.Count} completed level(s); they are saved in {run.Path} (levels.csv, level-NN/).");
            return 130;
        }
        catch (TrainingDivergedException ex)
        {
            run.WriteSummary(Summarise("diverged"));
            Console.Error.WriteLine($"error: {ex.Message} Completed levels are saved in {run.Path}.");
            return 3;
        }
        catch (InvalidOperationException ex)
        {
            run.WriteSummary(Summarise("failed"));
            throw new CliException($"Pruning level {levels.Count} failed: {Cli.UserMessage(ex)} Use fewer --levels or a smaller --prune-fraction.");
        }

        run.WriteSummary(Summarise("completed"));
        console.WriteLine();
        console.Write(LevelTable.ToText(levels));
        var dense = levels[0].Ticket;
        var final = levels[^1];
        console.WriteLine(Format.Invariant($"Ticket at level {final.Level}: density {final.Density * 100:F2}%, last-epoch accuracy {final.Ticket.LastAccuracy * 100:F2}% vs dense {dense.LastAccuracy * 100:F2}% ({(final.Ticket.LastAccuracy - dense.LastAccuracy) * 100:+0.00;-0.00} pp){(final.Control is { } c ? Format.Invariant($"; random reinit {c.LastAccuracy * 100:F2}%") : "")}. Run directory: {run.Path}"));
        return 0;
    }

    private static RunDirectory Dir(RunDirectory run, LotteryPhase p)
    {
        var level = run.Sub(string.Create(CultureInfo.InvariantCulture, $"level-{p.Level:00}"));
        return p.IsControl ? level.Sub("reinit") : level;
    }

    private static string Describe(RetrainMode mode) => mode switch
    {
        RetrainMode.WeightRewinding => "rewinding weights and LR",
        RetrainMode.LearningRateRewinding => "rewinding only the LR",
        _ => "fine-tuning at the final LR from",
    };

    private static Dictionary<string, object?> BuildSummary(TrainConfig config, Experiment e, IReadOnlyList<LevelResult> levels, string status, double seconds)
    {
        var summary = Summary.Build(config, e, levels.Count > 0 ? levels[^1].Ticket.History : [], status, seconds, null);
        summary["levels_completed"] = levels.Count;
        summary["control_seed"] = config.RandomReinit ? SparsitySetup.ControlSeed(config) : null;
        summary["dense_accuracy"] = levels.Count > 0 ? LevelTable.Row(levels[0])["last_acc"] : null;
        summary["levels"] = levels.Select(LevelTable.Row).ToList();
        return summary;
    }
}
