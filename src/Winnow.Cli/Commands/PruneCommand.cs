using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.Kernels;
using Winnow.NN.Serialization;
using Winnow.NN.Training;
using Winnow.Sparsity;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;
using Winnow.Sparsity.Reports;

namespace Winnow.Cli.Commands;

/// <summary>
/// `winnow prune`: one-shot pruning of a trained checkpoint (then optional fine-tuning), pruning at
/// initialisation (SNIP, magnitude, random) then training, or gradual magnitude pruning during
/// training. Writes the `train` run-directory layout, with the masks in the checkpoint, density
/// figures in summary.json and the per-layer report in sparsity.txt.
/// </summary>
public static class PruneCommand
{
    public static Command Create()
    {
        var command = new Command("prune", "Prune a network: one-shot on a trained run (--when trained --from RUN), at initialisation then train (--when init: snip, magnitude or random), or gradually during training (--when gradual). Writes a run directory like `train` plus sparsity.txt.");
        var options = new ConfigOptions(command, ConfigVerbs.Prune);
        var sparsity = new Option<string>("--sparsity") { Description = "Pruned fraction in [0, 1): sets --density to 1 − sparsity.", HelpName = "number" };
        command.Options.Add(sparsity);
        command.SetAction((result, cancellation) => Task.FromResult(Cli.Run(() => Execute(result, options, result.GetValue(sparsity), cancellation))));
        return command;
    }

    private static int Execute(ParseResult result, ConfigOptions options, string? sparsity, CancellationToken cancellation)
    {
        var config = options.Resolve(result, ConfigVerbs.Prune);
        var given = options.GivenFlags(result);
        if (sparsity is not null)
        {
            if (given.Contains("density"))
            {
                throw new CliException("Give --density or --sparsity, not both (density = 1 − sparsity).");
            }

            config.Density = SparsitySetup.DensityFromSparsity(double.TryParse(sparsity, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s
                : throw new CliException($"--sparsity expects a number in [0, 1), got '{sparsity}'."));
        }

        var when = SparsitySetup.When(config);
        config.When = when.ToString().ToLowerInvariant();
        double density = SparsitySetup.Density(config);
        string criterion = SparsitySetup.Criterion(config);
        var distribution = SparsitySetup.Distribution(config);
        var source = PrepareSource(config, when, given);
        var maskFile = config.Masks is null ? null : CheckpointInputs.Load("--masks", config.Masks);
        if (when == PruneWhen.Gradual && (criterion != "magnitude" || maskFile is not null))
        {
            throw new CliException(maskFile is null
                ? $"--when gradual prunes by magnitude (Zhu & Gupta 2017); --criterion {criterion} is not supported there. Use --when init for {criterion}."
                : "--when gradual computes its own masks; --masks is for --when init or trained.");
        }

        config.Out ??= ConfigOptions.DefaultOut(config, "prune");
        var run = new RunDirectory(config.Out);
        Parallelism.MaxThreads = config.Threads == 0 ? Environment.ProcessorCount : config.Threads;
        using var e = Experiment.Build(config);
        var console = Console.Out;
        console.WriteLine(Format.Invariant($"Winnow {Cli.Version}: pruning {config.Model} ({when.ToString().ToLowerInvariant()}) on {e.Data.Spec.Title} — {e.TrainSet.Count:N0} train / {e.EvalSet.Count:N0} eval images from {e.Data.Location.Directory}"));
        EvalResult? before = null;
        if (source is not null)
        {
            source.ApplyTo(e.Model);
            before = Evaluator.Evaluate(e.Model, e.EvalBatches(), cancellation);
        }

        var masks = maskFile is not null ? CheckpointInputs.Masks(maskFile, e.Model, config.Model, "--masks")
            : source is not null && Sparsity.LotteryTicket.MaskCheckpoint.TryLoad(e.Model, source) is { } existing ? NoSelectionFlags(existing, given, source.Path)
            : SparsitySetup.Masks(config, e.Model);
        bool respectExisting = maskFile is null && source is not null && masks.Density < 1;
        run.WriteConfig(config);

        var hooks = new List<ITrainingHook>();
        string how;
        if (maskFile is not null)
        {
            masks.Apply();
            how = $"masks of {maskFile.Path}";
        }
        else if (when == PruneWhen.Gradual)
        {
            long total = (long)config.Epochs * e.TrainLoader.BatchesPerEpoch;
            long begin = SparsitySetup.Point("--prune-begin", config.PruneBegin).ToStep(e.TrainLoader.BatchesPerEpoch, total);
            long end = SparsitySetup.Point("--prune-end", config.PruneEnd).ToStep(e.TrainLoader.BatchesPerEpoch, total);
            try
            {
                hooks.Add(new GradualMagnitudePruning(masks, 0, 1 - density, begin, end, config.PruneFrequency, distribution) { PruneAtEnd = true });
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new CliException($"--prune-begin {config.PruneBegin} (step {begin}) / --prune-end {config.PruneEnd} (step {end}) / --prune-frequency {config.PruneFrequency}: {ex.Message.Split(" (Parameter")[0]}");
            }

            how = Format.Invariant($"gradual magnitude pruning to {density * 100:F2}% between steps {begin} and {end} of {total}, every {config.PruneFrequency}, {distribution.Name}");
        }
        else
        {
            var scorer = criterion switch
            {
                "snip" => SparsityMethods.Criterion("snip", model: e.Model, batch: e.ScoringBatch()),
                "random" => SparsityMethods.Criterion("random", rng: new Rng(config.Seed ^ 0x5EED_0F_5EEDUL)),
                _ => SparsityMethods.Criterion(criterion),
            };
            Pruner.Prune(masks, scorer, distribution, density, respectExisting);
            how = Format.Invariant($"{criterion} scores, {distribution.Name} distribution, target density {density * 100:F2}%");
        }

        if (hooks.Count == 0)
        {
            hooks.Add(new HardMaskHook(masks));
        }

        EvalResult? after = when == PruneWhen.Trained ? Evaluator.Evaluate(e.Model, e.EvalBatches(), cancellation) : null;
        console.WriteLine($"  {how}");
        if (before is { } b && after is { } a)
        {
            console.WriteLine(Format.Invariant($"  accuracy before pruning {b.Accuracy * 100:F2}%, right after pruning {a.Accuracy * 100:F2}% (density {masks.Density * 100:F2}% of the masked weights)"));
        }

        var history = new List<EpochMetrics>();
        var sw = Stopwatch.StartNew();
        var extra = new Dictionary<string, string> { ["pruning"] = when.ToString().ToLowerInvariant() };
        object Summarise(string status, EvalResult? finalTest)
        {
            var summary = Summary.Build(config, e, history, status, sw.Elapsed.TotalSeconds, finalTest);
            summary["pruning"] = new Dictionary<string, object?>
            {
                ["when"] = when.ToString().ToLowerInvariant(), ["method"] = how, ["target_density"] = density,
                ["source"] = source?.Path, ["masks_from"] = maskFile?.Path,
                ["accuracy_before_pruning"] = before?.Accuracy, ["accuracy_after_pruning"] = after?.Accuracy,
            };
            summary["sparsity"] = SparsitySummary.Build(Report(e, masks));
            return summary;
        }

        bool trains = when != PruneWhen.Trained || config.FinetuneEpochs > 0;
        if (trains)
        {
            int code = TrainingSession.Run(run, e, hooks, history, epoch => RunCheckpoint.Save(run.CheckpointFile, e, masks, epoch, extra), status => Summarise(status, null), cancellation);
            if (code != 0)
            {
                return code;
            }
        }
        else
        {
            RunCheckpoint.Save(run.CheckpointFile, e, masks, null, extra);
            run.WriteMetrics(history);
        }

        var finalTest = e.EvaluateHeldOutTest();
        run.WriteSummary(Summarise("completed", finalTest));
        var report = Report(e, masks);
        run.WriteText("sparsity.txt", report.ToTable());
        console.WriteLine();
        console.Write(report.ToTable());
        double final = history.Count > 0 ? history[^1].TestAccuracy ?? double.NaN : after?.Accuracy ?? double.NaN;
        string what = e.HeldOutTest is null ? "test" : "validation";
        console.WriteLine(Format.Invariant($"Final {what} accuracy at density {report.MaskedDensity * 100:F2}%: {final * 100:F2}%{(history.Count > 0 ? Format.Invariant($" after {history.Count} epoch(s) (best {history.Max(h => h.TestAccuracy ?? 0) * 100:F2}%)") : " (no fine-tuning)")}{(finalTest is { } t ? Format.Invariant($"; test accuracy {t.Accuracy * 100:F2}%") : "")}. Run directory: {run.Path}"));
        return 0;
    }

    private static CheckpointData? PrepareSource(TrainConfig config, PruneWhen when, ISet<string> given)
    {
        if (when != PruneWhen.Trained)
        {
            if (config.From is not null)
            {
                throw new CliException($"--from is only used with --when trained (one-shot pruning of a trained run); --when {when.ToString().ToLowerInvariant()} starts from a fresh initialisation.");
            }

            if (config.FinetuneEpochs != 0)
            {
                throw new CliException($"--finetune-epochs applies to --when trained; with --when {when.ToString().ToLowerInvariant()} the training length is --epochs.");
            }

            return null;
        }

        if (config.From is null)
        {
            throw new CliException("--when trained needs --from RUN_DIR|CHECKPOINT: the trained run to prune (e.g. one written by `winnow train`).");
        }

        var source = CheckpointInputs.Load("--from", config.From);
        if (given.Contains("epochs") || config.FinetuneEpochs < 0)
        {
            throw new CliException(given.Contains("epochs")
                ? "With --when trained the training after pruning is fine-tuning: give its length with --finetune-epochs N, not --epochs."
                : string.Create(CultureInfo.InvariantCulture, $"--finetune-epochs {config.FinetuneEpochs} is invalid: expected ≥ 0 (0 = evaluate the pruned network without fine-tuning)."));
        }

        CheckpointInputs.Adopt(config, source, given, "--from");
        config.Epochs = Math.Max(1, config.FinetuneEpochs);
        return source;
    }

    private static MaskSet NoSelectionFlags(MaskSet existing, ISet<string> given, string path)
        => given.Overlaps(["densefirst", "denselast", "exclude"])
            ? throw new CliException($"--from '{path}' already has masks ({string.Join(", ", existing.Targets.Select(t => t.Name))}); pruning continues within them, so --dense-first, --dense-last and --exclude cannot change the selection.")
            : existing;

    private static SparsityReport Report(Experiment e, MaskSet masks) => SparsityReport.Measure(e.Model, masks, e.TrainSet.Channels, e.TrainSet.Height);
}
