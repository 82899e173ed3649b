using System.CommandLine;
using System.Diagnostics;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.Kernels;
using Winnow.NN.Training;
using Winnow.Sparsity.Masks;
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
        var plan = PrunePlan.Resolve(config, given, sparsity);
        config.Out ??= ConfigOptions.DefaultOut(config, "prune");
        var run = new RunDirectory(config.Out);
        Parallelism.MaxThreads = config.Threads == 0 ? Environment.ProcessorCount : config.Threads;
        using var e = Experiment.Build(config);
        var console = Console.Out;
        console.WriteLine(Format.Invariant($"Winnow {Cli.Version}: pruning {config.Model} ({config.When}) on {e.Data.Spec.Title} — {e.TrainSet.Count:N0} train / {e.EvalSet.Count:N0} eval images from {e.Data.Location.Directory}"));
        EvalResult? before = null;
        if (plan.Source is not null)
        {
            plan.Source.ApplyTo(e.Model);
            before = Evaluator.Evaluate(e.Model, e.EvalBatches(), cancellation);
        }

        var masks = plan.Masks(config, e, given);
        run.WriteConfig(config);
        var (hook, how) = plan.Apply(config, e, masks);
        EvalResult? after = plan.When == PruneWhen.Trained ? Evaluator.Evaluate(e.Model, e.EvalBatches(), cancellation) : null;
        console.WriteLine($"  {how}");
        if (before is { } b && after is { } a)
        {
            console.WriteLine(Format.Invariant($"  accuracy before pruning {b.Accuracy * 100:F2}%, right after pruning {a.Accuracy * 100:F2}% (density {masks.Density * 100:F2}% of the masked weights)"));
        }

        var history = new List<EpochMetrics>();
        var sw = Stopwatch.StartNew();
        var extra = new Dictionary<string, string> { ["pruning"] = config.When! };
        object Summarise(string status, EvalResult? finalTest)
        {
            var summary = Summary.Build(config, e, history, status, sw.Elapsed.TotalSeconds, finalTest);
            summary["pruning"] = new Dictionary<string, object?>
            {
                ["when"] = config.When,
                ["method"] = how,
                ["target_density"] = plan.Density,
                ["source"] = plan.Source?.Path,
                ["masks_from"] = plan.MaskFile?.Path,
                ["accuracy_before_pruning"] = before?.Accuracy,
                ["accuracy_after_pruning"] = after?.Accuracy,
            };
            summary["sparsity"] = SparsitySummary.Build(Report(e, masks));
            return summary;
        }

        if (plan.When != PruneWhen.Trained || config.FinetuneEpochs > 0)
        {
            int code = TrainingSession.Run(run, e, [hook], history, epoch => RunCheckpoint.Save(run.CheckpointFile, e, masks, epoch, extra), status => Summarise(status, null), cancellation);
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
        string trained = history.Count > 0 ? Format.Invariant($" after {history.Count} epoch(s) (best {history.Max(h => h.TestAccuracy ?? 0) * 100:F2}%)") : " (no fine-tuning)";
        string test = finalTest is { } t ? Format.Invariant($"; test accuracy {t.Accuracy * 100:F2}%") : "";
        console.WriteLine(Format.Invariant($"Final {(e.HeldOutTest is null ? "test" : "validation")} accuracy at density {report.MaskedDensity * 100:F2}%: {final * 100:F2}%{trained}{test}. Run directory: {run.Path}"));
        return 0;
    }

    private static SparsityReport Report(Experiment e, MaskSet masks) => SparsityReport.Measure(e.Model, masks, e.TrainSet.Channels, e.TrainSet.Height);
}
