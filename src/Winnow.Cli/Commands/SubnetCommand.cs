using System.CommandLine;
using System.Diagnostics;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.Kernels;
using Winnow.NN;
using Winnow.NN.Models;
using Winnow.NN.Schedules;
using Winnow.NN.Serialization;
using Winnow.NN.Training;
using Winnow.Sparsity.Subnetworks;

namespace Winnow.Cli.Commands;

/// <summary>
/// `winnow subnet`: find a subnetwork of a random network by training only scores — edge-popup
/// (Ramanujan et al. 2020) or biprop / Multi-Prize Tickets (Diffenderfer &amp; Kailkhura 2021; MPT-1/32,
/// or MPT-1/1 with --binary-activations). Writes the `train` run-directory layout (config.json,
/// metrics, summary.json with best/last accuracy and the size report, checkpoint.safetensors with the
/// frozen weights and the scores as extras <c>scores.{weight}</c>) plus ticket.wntk (the compact export)
/// and subnet.txt (per-layer kept counts and α).
/// </summary>
public static class SubnetCommand
{
    /// <summary>The ticket file name in a run directory.</summary>
    public const string TicketFile = "ticket.wntk";

    private const ConfigVerbs Verb = ConfigVerbs.Train | ConfigVerbs.Subnet;

    /// <summary>The verb's built-in defaults: the reference's CIFAR recipe (SGD lr 0.1, momentum 0.9, wd 1e-4, batch 128, cosine) on FC.</summary>
    public static TrainConfig Defaults() => new() { Model = "fc", BatchSize = 128, Lr = 0.1, Momentum = 0.9, WeightDecay = 1e-4, Schedule = "cosine" };

    public static Command Create()
    {
        var command = new Command("subnet", "Find a subnetwork of a random network by training only scores: --method biprop (Multi-Prize Tickets; MPT-1/1 with --binary-activations) or edge-popup, keeping --keep of each layer's weights. Writes a run directory like `train` plus ticket.wntk (bit-packed signs, mask and α per layer) and subnet.txt.");
        var options = new ConfigOptions(command, Verb, Defaults);
        command.SetAction((result, cancellation) => Task.FromResult(Cli.Run(() => Execute(result, options, cancellation))));
        return command;
    }

    /// <summary>The library options for <paramref name="c"/>, every name checked.</summary>
    /// <exception cref="CliException">An unknown name or an out-of-range value; the message names the option.</exception>
    public static SubnetOptions Resolve(TrainConfig c)
    {
        var o = new SubnetOptions
        {
            Method = Pick("--method", c.SubnetMethod, ("biprop", SubnetMethod.Biprop), ("edge-popup", SubnetMethod.EdgePopup)),
            KeepFraction = c.Keep,
            Init = Pick("--init", c.SubnetInit, ("kaiming-normal", SubnetWeightInit.KaimingNormal), ("signed-constant", SubnetWeightInit.SignedConstant), ("unsigned-constant", SubnetWeightInit.UnsignedConstant)),
            ScaleFan = Pick("--scale-fan", c.ScaleFan, ("reference", ScaleFanMode.ReferenceCode), ("paper", ScaleFanMode.Paper), ("off", ScaleFanMode.Off)),
            AlphaDenominator = Pick("--alpha-denominator", c.AlphaDenominator, ("floor", AlphaDenominator.ReferenceFloor), ("kept", AlphaDenominator.KeptCount)),
            Global = c.GlobalScores,
            RampEpochs = c.RampEpochs,
            LearnBatchNorm = c.LearnBatchNorm,
            TuneBatchNorm = c.TuneBatchNorm,
            BatchNormBiasOnly = c.BnBiasOnly,
            FirstLayerDense = c.FirstLayerDense,
            LastLayerDense = c.LastLayerDense,
            AbortIfNotLearning = !c.NoAbort,
            Seed = c.Seed,
        };
        if (!(c.Keep > 0 && c.Keep <= 1))
        {
            throw new CliException(Format.Invariant($"--keep must be in (0, 1] (the fraction of each layer's weights kept, e.g. 0.5); got {c.Keep}."));
        }

        if (o.ScaleFan == ScaleFanMode.ReferenceCode && c.Keep >= 1)
        {
            throw new CliException("--keep 1 with --scale-fan reference divides by √(fan·(1 − k)) = 0; use --scale-fan off or paper to keep every weight.");
        }

        if (!(c.Width > 0) || double.IsInfinity(c.Width))
        {
            throw new CliException(Format.Invariant($"--width must be a positive number (hidden widths are multiplied by it); got {c.Width}."));
        }

        if (c.LearnBatchNorm && c.BnBiasOnly)
        {
            throw new CliException("--learn-batchnorm trains batch-norm γ and β but --bn-bias-only trains β only: pass one of them (add --tune-batchnorm to either to freeze the scores and train only those).");
        }

        return c.RampEpochs >= 0 ? o : throw new CliException("--ramp-epochs must be ≥ 0 (0 disables the keep-fraction ramp).");
    }

    /// <summary>The zoo model the run builds: the BinAct variant with --binary-activations.</summary>
    /// <exception cref="CliException">The model has no BinAct variant.</exception>
    public static string ModelName(TrainConfig c)
    {
        if (!c.BinaryActivations || c.Model.EndsWith("-binact", StringComparison.Ordinal) || c.Model == "wide-vgg-small")
        {
            return c.Model;
        }

        string variant = c.Model == "vgg-small" ? "vgg-small-binact" : c.Model + "-binact";
        return ModelZoo.Names.Contains(variant) ? variant
            : throw new CliException($"--binary-activations: model '{c.Model}' has no BinAct variant. Use fc, conv2, conv4, conv6, conv8 or vgg-small (or wide-vgg-small, binary already).");
    }

    private static int Execute(ParseResult result, ConfigOptions options, CancellationToken cancellation)
    {
        var config = options.Resolve(result, Verb);
        var o = Resolve(config);
        config.Model = ModelName(config);
        config.Out ??= ConfigOptions.DefaultOut(config, "subnet-" + config.SubnetMethod);
        var run = new RunDirectory(config.Out);
        Parallelism.MaxThreads = config.Threads == 0 ? Environment.ProcessorCount : config.Threads;
        ModelSpec? spec = null;
        using var e = Experiment.Build(config, s => spec = s with { WidthMultiplier = config.Width, Bias = false, AffineBatchNorm = o.TrainsBatchNorm });
        RequireBatchNorm(config, e.Model);
        Subnetwork subnet;
        try
        {
            subnet = Subnetwork.Attach(e.Model, o);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(Cli.UserMessage(ex));
        }

        if (config.ScoresFrom is { } from)
        {
            StartFrom(from, config.Model, subnet);
        }

        bool adam = config.Optimizer.Equals("adam", StringComparison.OrdinalIgnoreCase);
        var optimizer = adam ? subnet.CreateAdam(config.Lr) : subnet.CreateSgd(config.Lr, config.Momentum, config.WeightDecay, config.Nesterov, config.NoBnDecay);
        var trainerOptions = e.TrainerOptions with { Schedule = config.Schedule == "cosine" ? new WarmupCosineLr(config.Epochs, config.WarmupEpochs) : e.Schedule };
        run.WriteConfig(config);
        var console = Console.Out;
        string what = o.Method == SubnetMethod.Biprop ? (config.BinaryActivations || config.Model.Contains("binact", StringComparison.Ordinal) || config.Model == "wide-vgg-small" ? "biprop MPT-1/1" : "biprop MPT-1/32") : "edge-popup";
        console.WriteLine(Format.Invariant($"Winnow {Cli.Version}: {what} subnetwork of a random {config.Model} (width ×{config.Width}) keeping {o.KeepFraction * 100:0.##}% {(o.Global ? "globally" : "per layer")} of {subnet.TotalWeights:N0} weights on {e.Data.Spec.Title} — {e.TrainSet.Count:N0} train / {e.EvalSet.Count:N0} eval images"));
        console.WriteLine(Format.Invariant($"  init {config.SubnetInit} (scale-fan {config.ScaleFan}), {(adam ? "Adam (no weight decay)" : $"SGD momentum {config.Momentum} wd {config.WeightDecay}")} lr {config.Lr}, schedule {config.Schedule}, batch {config.BatchSize}, {config.Epochs} epochs; trained: {subnet.TrainableParameters.Sum(p => (long)p.Length):N0} parameters ({SubnetSummary.Trained(o)})"));
        var history = new List<EpochMetrics>();
        var sw = Stopwatch.StartNew();
        string ticket = Path.Combine(run.Path, TicketFile);
        object Summarise(string status, EvalResult? test)
        {
            var summary = Summary.Build(config, e, history, status, sw.Elapsed.TotalSeconds, test);
            summary["subnet"] = SubnetSummary.Build(o, config.Model, SubnetSizeReport.Measure(subnet), File.Exists(ticket) ? new FileInfo(ticket).Length : null, subnet.Global?.Threshold, SubnetOpCounts.Measure(subnet, spec!.InChannels, spec.InputSize));
            return summary;
        }

        void Save(int epoch)
        {
            var metadata = new Dictionary<string, string>
            {
                ["model"] = config.Model,
                ["dataset"] = config.Dataset,
                ["config"] = System.Text.Json.JsonSerializer.Serialize(ConfigFile.ToDictionary(config)),
                ["winnow_version"] = Cli.Version,
                ["subnet"] = config.SubnetMethod,
                ["epoch"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            Checkpoint.Save(run.CheckpointFile, e.Model, null, null, metadata, subnet.Masks.ToDictionary(m => "scores." + m.Name, m => (Tensor)m.Scores));
            CompactTicket.Save(ticket, subnet, config.Model, spec!, config.Dataset);
        }

        int code;
        try
        {
            code = TrainingSession.Run(run, e, [subnet.Hook], history, Save, status => Summarise(status, null), cancellation, optimizer, trainerOptions);
        }
        catch (NetworkNotLearningException ex)
        {
            run.WriteSummary(Summarise("not-learning", null));
            Console.Error.WriteLine($"error: {ex.Message} Run directory: {run.Path}.");
            return 4;
        }

        if (code != 0)
        {
            return code;
        }

        var finalTest = e.EvaluateHeldOutTest();
        run.WriteSummary(Summarise("completed", finalTest));
        var size = SubnetSizeReport.Measure(subnet);
        string table = SubnetSummary.Table(size) + Format.Invariant($"ticket file {TicketFile}: {new FileInfo(ticket).Length:N0} bytes vs fp32 {size.DenseFp32Bits / 8:N0} bytes\n")
            + "\n" + SubnetSummary.OpsTable(SubnetOpCounts.Measure(subnet, spec!.InChannels, spec.InputSize));
        run.WriteText("subnet.txt", table);
        console.WriteLine();
        console.Write(table);
        var (last, best) = Format.LastAndBest(history);
        console.WriteLine(Format.Invariant($"Final {(e.HeldOutTest is null ? "test" : "validation")} accuracy: {last * 100:F2}% last epoch, {best * 100:F2}% best epoch (the reference reports the best), {size.KeptWeights:N0} of {size.TotalWeights:N0} weights kept. Run directory: {run.Path}"));
        return 0;
    }

    /// <summary>
    /// Copies the frozen weights, BN tensors and scores of a `winnow subnet` checkpoint into <paramref name="subnet"/>.
    /// Tensors missing on either side or of another shape are skipped (the reference's --pretrained prints
    /// "IGNORE"), so a non-affine search can seed an affine --tune-batchnorm run; every score must match.
    /// </summary>
    private static void StartFrom(string from, string model, Subnetwork subnet)
    {
        var source = CheckpointInputs.Load("--scores-from", from);
        if (!source.Metadata.ContainsKey("subnet"))
        {
            throw new CliException($"--scores-from '{source.Path}' was not written by `winnow subnet` (it holds no scores); pass a `winnow subnet` run directory.");
        }

        string recorded = CheckpointInputs.ModelOf(source, model);
        if (!string.Equals(recorded, model, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"--scores-from '{source.Path}' holds a {recorded} subnetwork but this run builds a {model}; use the same --model, --binary-activations and --width.");
        }

        var state = subnet.Model.StateDict();
        foreach (var (name, t) in source.Model)
        {
            if (state.TryGetValue(name, out var target) && target.Shape.SequenceEqual(t.Shape))
            {
                t.Data.CopyTo(target.Data);
            }
        }

        foreach (var m in subnet.Masks)
        {
            if (!source.Extras.TryGetValue("scores." + m.Name, out var s) || !s.Shape.SequenceEqual(m.Scores.Shape))
            {
                throw new CliException($"--scores-from '{source.Path}' has no scores of shape [{string.Join(", ", m.Scores.Shape.ToArray())}] for {m.Name}; it was found with another --width or layer coverage (--first-layer-dense, --last-layer-dense). Use the same settings.");
            }

            s.Data.CopyTo(m.Scores.Data);
        }

        subnet.Refresh();
    }

    /// <summary>The batch-norm options need batch norm to train; on a model without it they would silently train nothing (or only the scores).</summary>
    private static void RequireBatchNorm(TrainConfig c, Module model)
    {
        string? option = c.TuneBatchNorm ? "--tune-batchnorm" : c.BnBiasOnly ? "--bn-bias-only" : c.LearnBatchNorm ? "--learn-batchnorm" : null;
        if (option is not null && !model.NamedModules().Any(m => m.Value is Winnow.NN.Layers.BatchNorm))
        {
            throw new CliException($"{option} trains batch-norm parameters, but model '{c.Model}' has no batch norm layer. Use a model with batch norm (a BinAct variant via --binary-activations, vgg-small, wide-vgg-small or resnet18) or drop {option}.");
        }
    }

    private static T Pick<T>(string option, string value, params (string Name, T Value)[] choices)
    {
        foreach (var (name, v) in choices)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        var names = choices.Select(c => c.Name).ToArray();
        throw new CliException($"Unknown {option} '{value}'.{Winnow.Settings.NameSuggestions.DidYouMean(value, names)} Use {string.Join(", ", names)}.");
    }
}
