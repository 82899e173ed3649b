using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.Kernels;
using Winnow.NN.Training;
using Winnow.Sparsity.ContinuousSparsification;
using Winnow.Sparsity.LotteryTicket;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Reports;

namespace Winnow.Cli.Commands;

/// <summary>
/// `winnow cs`: Continuous Sparsification (Savarese et al. 2020), ticket search or pruning. With
/// several --mask-init/--lambda values it runs a sweep (one sub-directory per value, sweep.csv).
/// Each run writes rounds.csv (hard density, soft/hard accuracy, temperature per round),
/// round-NN/metrics, ticket/metrics, checkpoint.safetensors (weights with the ticket mask folded in)
/// and sparsity.txt.
/// </summary>
public static class CsCommand
{
    private const ConfigVerbs Verb = ConfigVerbs.Train | ConfigVerbs.Cs;

    public static Command Create()
    {
        var command = new Command("cs", "Continuous Sparsification (Savarese et al. 2020): learn a soft mask c·σ(β·s) with an annealed temperature and an L0-style penalty; ticket search (rewind + retrain) or pruning. Several --mask-init values sweep the density.");
        var options = new ConfigOptions(command, Verb);
        command.SetAction((result, cancellation) => Task.FromResult(Cli.Run(() => Execute(result, options, cancellation))));
        return command;
    }

    private static int Execute(ParseResult result, ConfigOptions options, CancellationToken cancellation)
    {
        var config = options.Resolve(result, Verb);
        var sweep = CsSetup.Sweep(config);
        var layers = CsSetup.Layers(config);
        config.Out ??= ConfigOptions.DefaultOut(config, "cs");
        Parallelism.MaxThreads = config.Threads == 0 ? Environment.ProcessorCount : config.Threads;
        var run = new RunDirectory(config.Out);
        run.WriteConfig(config);
        var results = new List<CsResult>();
        var sw = Stopwatch.StartNew();
        string status = "completed";
        int code = 0;
        try
        {
            foreach (var o in sweep)
            {
                var dir = sweep.Count == 1 ? run : run.Sub(string.Create(CultureInfo.InvariantCulture, $"s0_{o.InitialValue:0.###}_lambda_{o.Lambda:0.##E+0}"));
                try
                {
                    results.Add(RunOne(config, o, layers, dir, cancellation));
                }
                catch (TrainingDivergedException ex)
                {
                    // One diverged point must not cost the rest of the sweep.
                    (status, code) = ("diverged", 3);
                    Console.Error.WriteLine(Format.Invariant($"error: s0 {o.InitialValue}, λ {o.Lambda:0.##E+0}: {ex.Message} Try a lower --lr or --mask-lr; the sweep goes on."));
                }

                CsTable.WriteSweep(run, results);
                run.WriteSummary(Summarise(config, results, "running", sw.Elapsed.TotalSeconds));
            }
        }
        catch (OperationCanceledException)
        {
            (status, code) = ("interrupted", 130);
            Console.Error.WriteLine($"Interrupted after {results.Count} completed run(s); they are saved in {run.Path}.");
        }

        run.WriteSummary(Summarise(config, results, status, sw.Elapsed.TotalSeconds));
        if (results.Count > 0)
        {
            Console.Out.WriteLine();
            Console.Out.Write(CsTable.SweepText(results));
            Console.Out.WriteLine($"Run directory: {run.Path}");
        }

        return code;
    }

    private static CsResult RunOne(TrainConfig config, CsOptions o, Func<MaskableSelection, Winnow.NN.Module, MaskableSelection> layers, RunDirectory dir, CancellationToken cancellation)
    {
        using var e = Experiment.Build(config);
        var training = new LotteryTraining(e.CreateOptimizer, e.TrainerOptions, e.TrainBatches, e.TrainLoader.BatchesPerEpoch, e.EvalBatches);
        ContinuousSparsification cs;
        try
        {
            cs = new ContinuousSparsification(e.Model, training, o with { Selection = layers(o.Selection, e.Model) });
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"`winnow cs`: {ex.Message.Split(" (Parameter")[0]}");
        }

        var console = Console.Out;
        console.WriteLine(Format.Invariant($"Winnow {Cli.Version}: Continuous Sparsification ({(o.Mode == CsMode.TicketSearch ? "ticket search" : "pruning")}) on {config.Model} ({cs.Masks.Total:N0} masked weights) with {e.Data.Spec.Title}, {e.TrainSet.Count:N0} train / {e.EvalSet.Count:N0} eval images"));
        console.WriteLine(Format.Invariant($"  s0 {o.InitialValue} (c = {1 + Math.Exp(-o.InitialValue):0.####}), λ {o.Lambda:0.##E+0}, β_T {o.FinalTemperature}, {o.Rounds} round(s) × {config.Epochs} epoch(s), clip {o.ClipMode}, rewind epoch {o.RewindEpoch}{(o.TargetDensity is { } t ? Format.Invariant($", exact target density {t * 100:0.##}% (top-k)") : "")}"));
        var display = TrainingSession.CreateDisplay();
        var history = new List<EpochMetrics>();
        var rounds = new List<RoundResult>();
        cs.PhaseStarting += p =>
        {
            history.Clear();
            display.Note(p < o.Rounds
                ? Format.Invariant($"round {p + 1}/{o.Rounds}: β 1 → {o.FinalTemperature}, hard density {cs.Masks.Density * 100:F2}%")
                : Format.Invariant($"ticket: density {cs.Masks.Density * 100:F2}% ({cs.Masks.Kept:N0} of {cs.Masks.Total:N0}), {(o.Mode == CsMode.TicketSearch ? "rewound to epoch " + o.RewindEpoch.ToString(CultureInfo.InvariantCulture) : "trained weights kept")}, fresh optimizer"));
        };
        cs.StepCompleted += display.OnStep;
        cs.EpochCompleted += (p, m) =>
        {
            history.Add(m);
            dir.Sub(p < o.Rounds ? string.Create(CultureInfo.InvariantCulture, $"round-{p:00}") : "ticket").WriteMetrics(history);
            display.OnEpoch(m, p < o.Rounds || o.Mode == CsMode.TicketSearch ? config.Epochs : o.FinetuneEpochs);
        };
        cs.RoundCompleted += r =>
        {
            rounds.Add(r);
            CsTable.WriteRounds(dir, rounds);
            display.Note(Format.Invariant($"round {r.Round + 1}: hard density {r.Density * 100:F2}%, soft acc {r.SoftAccuracy * 100:F2}% (β {r.Temperature:0.##}), hard acc {r.HardAccuracy * 100:F2}%"));
        };

        var result = display.Run(() => cs.Run(cancellation));
        var masks = cs.Masks.Export();
        RunCheckpoint.Save(dir.CheckpointFile, e, masks, null, new Dictionary<string, string> { ["method"] = "continuous-sparsification", ["s0"] = o.InitialValue.ToString("R", CultureInfo.InvariantCulture) });
        dir.WriteText("sparsity.txt", SparsityReport.Measure(e.Model, masks, e.TrainSet.Channels, e.TrainSet.Height).ToTable());
        console.Write(CsTable.RoundsText(result.Rounds));
        console.WriteLine(Format.Invariant($"  ticket: density {result.Density * 100:F2}% ({result.Kept:N0} of {result.Total:N0}), accuracy {result.FinalAccuracy * 100:F2}% after {result.TotalEpochs} epochs in total"));
        return result;
    }

    private static Dictionary<string, object?> Summarise(TrainConfig config, IReadOnlyList<CsResult> results, string status, double seconds) => new()
    {
        ["status"] = status,
        ["method"] = "continuous-sparsification",
        ["model"] = config.Model,
        ["dataset"] = config.Dataset,
        ["seed"] = config.Seed,
        ["seconds"] = Math.Round(seconds, 1),
        ["winnow_version"] = Cli.Version,
        ["runs"] = results.Select(CsTable.Row).ToList(),
    };
}
