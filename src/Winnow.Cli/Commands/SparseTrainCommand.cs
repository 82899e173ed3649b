using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.Kernels;
using Winnow.NN.Training;
using Winnow.Sparsity.DynamicSparse;
using Winnow.Sparsity.Execution;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Reports;

namespace Winnow.Cli.Commands;

/// <summary>
/// `winnow sparse-train`: sparse training from scratch with Sparse Momentum, SET or RigL (one
/// dynamic-sparsity framework), or a random mask held fixed (static). Writes the `train` run-directory
/// layout plus updates.jsonl (one line per mask update: per-layer density, removed/regrown counts,
/// redistribution shares), sparsity.txt, and the estimated speed-up and analytic FLOPs in summary.json.
/// </summary>
public static class SparseTrainCommand
{
    private const ConfigVerbs Verb = ConfigVerbs.Train | ConfigVerbs.SparseTrain;

    public static Command Create()
    {
        var command = new Command("sparse-train", "Train a sparse network from scratch: --method sm (Sparse Momentum, Dettmers & Zettlemoyer 2019), set (Mocanu et al. 2018), rigl (Evci et al. 2020) or static (fixed random mask), at --density (default 0.05). Writes a run directory like `train` plus updates.jsonl and sparsity.txt.");
        var options = new ConfigOptions(command, Verb);
        command.SetAction((result, cancellation) => Task.FromResult(Cli.Run(() => Execute(result, options, cancellation))));
        return command;
    }

    /// <summary>The method's options with the config's overrides.</summary>
    /// <exception cref="CliException">Unknown method or strategy name, or a value out of range.</exception>
    public static DynamicSparseOptions Resolve(TrainConfig c)
    {
        if (!(c.Density > 0 && c.Density <= 1))
        {
            throw new CliException($"--density must be in (0, 1]; got {Format.Invariant($"{c.Density}")}.");
        }

        DynamicSparseOptions o;
        try
        {
            o = DynamicSparseOptions.ForMethod(c.Method == "static" ? "sm" : c.Method, c.Density);
            o = o with
            {
                Seed = c.Seed,
                PruneRate = c.PruneRate ?? o.PruneRate,
                Drop = c.Drop ?? o.Drop,
                Growth = c.Growth ?? o.Growth,
                Redistribution = c.Redistribution ?? o.Redistribution,
                Schedule = c.DecaySchedule ?? o.Schedule,
                UpdateEvery = c.UpdateEvery ?? o.UpdateEvery,
                Init = c.SparseInit ?? o.Init,
            };
            _ = DynamicSparseMethods.Drop(o.Drop);
            _ = DynamicSparseMethods.Growth(o.Growth);
            _ = DynamicSparseMethods.Init(o.Init);
            _ = DynamicSparseMethods.Redistribution(o.Redistribution);
            _ = DynamicSparseMethods.Schedule(o);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message.Split(" (Parameter")[0]);
        }

        return o.PruneRate is >= 0 and <= 1 && o.UpdateEvery >= 0 ? o
            : throw new CliException("--prune-rate must be in [0, 1] and --update-every ≥ 0.");
    }

    /// <summary>--sparse-kernels and --dense-grad as library enums.</summary>
    /// <exception cref="CliException">An unknown value; the message lists the accepted ones.</exception>
    public static (SparseKernelMode Kernels, DenseGradientMode Grad) ResolveExecution(TrainConfig c)
    {
        SparseKernelMode kernels = c.SparseKernels.ToLowerInvariant() switch
        {
            "auto" => SparseKernelMode.Auto,
            "on" => SparseKernelMode.On,
            "off" => SparseKernelMode.Off,
            _ => throw new CliException($"--sparse-kernels must be auto, on or off; got '{c.SparseKernels}'."),
        };
        DenseGradientMode grad = c.DenseGrad.ToLowerInvariant() switch
        {
            "exact" => DenseGradientMode.Exact,
            "fast" => DenseGradientMode.Fast,
            _ => throw new CliException($"--dense-grad must be exact (dense weight gradient every step) or fast (only before mask updates that read it); got '{c.DenseGrad}'."),
        };
        return (kernels, grad);
    }

    private static int Execute(ParseResult result, ConfigOptions options, CancellationToken cancellation)
    {
        var config = options.Resolve(result, Verb);
        var ds = Resolve(config);
        var (kernelMode, gradMode) = ResolveExecution(config);
        bool isStatic = config.Method == "static";
        config.Out ??= ConfigOptions.DefaultOut(config, "sparse-train-" + config.Method);
        var run = new RunDirectory(config.Out);
        Parallelism.MaxThreads = config.Threads == 0 ? Environment.ProcessorCount : config.Threads;
        using var e = Experiment.Build(config);
        DynamicSparsity dynamic;
        try
        {
            dynamic = new DynamicSparsity(e.Model, ds, new MaskableSelection { IncludeFirst = !config.DenseFirst, IncludeLast = !config.DenseLast });
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message);
        }

        var execution = new SparseExecution(dynamic.Masks, kernelMode, gradMode, isStatic ? null : ds);
        execution.Attach();
        run.WriteConfig(config);
        var console = Console.Out;
        console.WriteLine(Format.Invariant($"Winnow {Cli.Version}: sparse training ({config.Method}) of {config.Model} at density {config.Density * 100:0.##}% ({dynamic.Masks.Kept:N0} of {dynamic.Masks.Total:N0} masked weights) on {e.Data.Spec.Title} — {e.TrainSet.Count:N0} train / {e.EvalSet.Count:N0} eval images"));
        console.WriteLine(isStatic ? "  mask held fixed (static sparse)" : Format.Invariant($"  drop {ds.Drop}, grow {ds.Growth}, redistribute {ds.Redistribution}, {ds.Schedule} prune rate from {ds.PruneRate}, init {ds.Init}, update {(ds.UpdateEvery == 0 ? "after every epoch but the last" : $"every {ds.UpdateEvery} steps until {ds.StopFraction:P0} of training")}"));
        var updates = new List<string>();
        dynamic.Updated += u =>
        {
            updates.Add(JsonSerializer.Serialize(UpdateLine(u)));
            foreach (var (what, search) in new[] { ("drop", u.DropSearch), ("growth", u.GrowthSearch) })
            {
                if (search is { WithinTolerance: false })
                {
                    console.WriteLine(Format.Invariant($"  warning: the global {what} threshold search of the update at step {u.Step} stopped {(search.HitIterationCap ? $"at its pass cap" : "on a stall")} selecting {search.Reached:N0} (target {search.Target:N0} ±2%); see updates.jsonl."));
                }
            }

            run.WriteText("updates.jsonl", string.Join("\n", updates) + "\n");
        };

        var history = new List<EpochMetrics>();
        var sw = Stopwatch.StartNew();
        object Summarise(string status, EvalResult? test)
        {
            var summary = Summary.Build(config, e, history, status, sw.Elapsed.TotalSeconds, test);
            var report = Report(e, dynamic.Masks);
            summary["sparsity"] = SparsitySummary.Build(report);
            summary["sparse_training"] = new Dictionary<string, object?>
            {
                ["method"] = config.Method,
                ["target_density"] = config.Density,
                ["measured_density"] = dynamic.Masks.Density,
                ["options"] = ds,
                ["mask_updates"] = dynamic.Updates.Count,
                ["er_search_epsilon"] = dynamic.InitSearch?.Epsilon,
                ["estimated_speedup"] = Math.Round(DynamicSparseCost.EstimatedSpeedup(report), 4),
                ["training_flops_per_image"] = DynamicSparseCost.TrainingFlops(report, ds, isStatic),
                ["dense_training_flops_per_image"] = report.DenseTrainingFlops,
                ["sparse_kernels"] = config.SparseKernels,
                ["dense_grad"] = config.DenseGrad,
                ["sparse_layers"] = execution.Choices.Where(c => c.Sparse).Select(c => c.Name).ToList(),
            };
            return summary;
        }

        ITrainingHook hook = isStatic ? new HardMaskHook(dynamic.Masks) : dynamic;
        int sparseLayers = execution.Choices.Count(c => c.Sparse);
        console.WriteLine(Format.Invariant($"  kernels: {sparseLayers} of {dynamic.Masks.Targets.Count} masked layers sparse (--sparse-kernels {config.SparseKernels}), weight gradient {config.DenseGrad} (--dense-grad)"));
        var extra = new Dictionary<string, string> { ["sparse_training"] = config.Method };
        int code = TrainingSession.Run(run, e, [hook, execution], history, epoch => RunCheckpoint.Save(run.CheckpointFile, e, dynamic.Masks, epoch, extra), status => Summarise(status, null), cancellation);
        if (code != 0)
        {
            return code;
        }

        var finalTest = e.EvaluateHeldOutTest();
        run.WriteSummary(Summarise("completed", finalTest));
        var table = Report(e, dynamic.Masks).ToTable();
        run.WriteText("sparsity.txt", table);
        console.WriteLine();
        console.Write(table);
        var (last, best) = Format.LastAndBest(history);
        console.WriteLine(Format.Invariant($"Final {(e.HeldOutTest is null ? "test" : "validation")} accuracy at density {dynamic.Masks.Density * 100:F2}%: {last * 100:F2}% (best {best * 100:F2}%) after {dynamic.Updates.Count} mask update(s). Run directory: {run.Path}"));
        return 0;
    }

    private static Dictionary<string, object?> UpdateLine(MaskUpdateReport u) => new()
    {
        ["step"] = u.Step,
        ["epoch"] = u.Epoch + 1,
        ["prune_rate"] = u.PruneRate,
        ["density"] = u.Density,
        ["removed"] = u.Removed,
        ["regrown"] = u.Regrown,
        ["capping_iterations"] = u.CappingIterations,
        ["adjusted_growth"] = u.AdjustedGrowth,
        ["drop_search"] = SearchLine(u.DropSearch),
        ["growth_search"] = SearchLine(u.GrowthSearch),
        ["layers"] = u.Layers.Select(l => new Dictionary<string, object?>
        {
            ["name"] = l.Name,
            ["density"] = l.Density,
            ["active_before"] = l.ActiveBefore,
            ["removed"] = l.Removed,
            ["requested"] = l.Requested,
            ["regrown"] = l.Regrown,
            ["share"] = double.IsNaN(l.Share) ? null : l.Share,
            ["prune_rate"] = l.PruneRate,
        }).ToList(),
    };

    private static Dictionary<string, object?>? SearchLine(ThresholdSearch? s) => s is null ? null : new()
    {
        ["threshold"] = s.Threshold,
        ["target"] = s.Target,
        ["reached"] = s.Reached,
        ["iterations"] = s.Iterations,
        ["within_tolerance"] = s.WithinTolerance,
        ["hit_iteration_cap"] = s.HitIterationCap,
    };

    private static SparsityReport Report(Experiment e, MaskSet masks) => SparsityReport.Measure(e.Model, masks, e.TrainSet.Channels, e.TrainSet.Height);
}
