using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.Kernels;
using Winnow.NN.Serialization;
using Winnow.NN.Training;

namespace Winnow.Cli.Commands;

/// <summary>`winnow train`: train a zoo model on a dataset; writes a run directory.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train a model from the zoo on a dataset (defaults: LeNet-5-Caffe on Fashion-MNIST, 5 epochs, SGD lr 0.05 momentum 0.9).");
        var options = new ConfigOptions(command);
        var resume = new Option<string>("--resume") { Description = "Continue the run in this directory from its last checkpoint (same settings; ends bit-identical to an uninterrupted run).", HelpName = "run-dir" };
        command.Options.Add(resume);
        command.SetAction((result, cancellation) => Task.FromResult(Cli.Run(() => Execute(result, options, result.GetValue(resume), cancellation))));
        return command;
    }

    private static int Execute(ParseResult result, ConfigOptions options, string? resumeDir, CancellationToken cancellation)
    {
        var config = new TrainConfig();
        RunDirectory run;
        if (resumeDir is not null)
        {
            run = new RunDirectory(resumeDir);
            if (!File.Exists(run.ConfigFile) || !File.Exists(run.CheckpointFile))
            {
                throw new CliException($"--resume {resumeDir}: expected a run directory with config.json and checkpoint.safetensors (written after each completed epoch); found {(File.Exists(run.ConfigFile) ? "no checkpoint" : "no config.json")}.");
            }

            ConfigFile.Apply(run.ConfigFile, config);
            var changed = options.GivenFlags(result).Where(f => f != "epochs" && f != "threads").ToList();
            if (changed.Count > 0 || result.GetValue(options.Config) is not null)
            {
                throw new CliException($"--resume continues the run with its saved settings; only --epochs and --threads may be changed (got {string.Join(", ", changed.Select(c => "--" + c))}{(result.GetValue(options.Config) is null ? "" : " --config")}).");
            }

            options.ApplyFlags(result, config);
        }
        else
        {
            if (result.GetValue(options.Config) is { } file)
            {
                ConfigFile.Apply(file, config);
            }

            options.ApplyFlags(result, config);
            config.Out ??= Path.Combine("runs", $"{config.Model}-{config.Dataset}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            run = new RunDirectory(config.Out);
        }

        Parallelism.MaxThreads = config.Threads == 0 ? Environment.ProcessorCount : config.Threads;
        var console = Console.Out;
        using var experiment = Experiment.Build(config);
        console.WriteLine(Format.Invariant($"Winnow {Cli.Version}: training {config.Model} ({experiment.Model.ParameterCount():N0} parameters) on {experiment.Data.Spec.Title} — {experiment.TrainSet.Count:N0} train / {experiment.EvalSet.Count:N0} {(experiment.HeldOutTest is null ? "test" : "validation")} images from {experiment.Data.Location.Directory}"));
        if (config.Data is not null && experiment.Data.Location.Source != NN.Data.DatasetSource.Argument)
        {
            Console.Error.WriteLine($"warning: --data {config.Data} does not hold {config.Dataset} ({experiment.Data.Spec.FileListForDisplay}); using {experiment.Data.Location.Directory} instead.");
        }

        if (experiment.Data.Location.Source == NN.Data.DatasetSource.BundledSample)
        {
            console.WriteLine("  (the bundled 10k/2k Fashion-MNIST sample; install `dataset-fashion-mnist` or pass --data DIR for the full 60k/10k set)");
        }

        int startEpoch = 0;
        var history = new List<EpochMetrics>();
        if (resumeDir is not null)
        {
            var checkpoint = Checkpoint.Load(run.CheckpointFile);
            checkpoint.ApplyTo(experiment.Model, experiment.Optimizer, experiment.Rngs);
            startEpoch = int.Parse(checkpoint.Metadata["epoch"], CultureInfo.InvariantCulture) + 1;
            history = run.ReadMetrics(startEpoch);
            console.WriteLine(Format.Invariant($"  resuming after epoch {startEpoch} of {config.Epochs} from {run.CheckpointFile}"));
        }

        run.WriteConfig(config);
        var trainer = new Trainer(experiment.Model, experiment.Optimizer, experiment.TrainerOptions);
        ITrainingDisplay display = ConsoleMode.Interactive ? new LiveTrainingDisplay(Terminal.Create()) : new PlainTrainingDisplay(console);
        trainer.StepCompleted += display.OnStep;
        var sw = Stopwatch.StartNew();
        string status = "running";
        trainer.EpochCompleted += m =>
        {
            history.Add(m);
            SaveCheckpoint(run, experiment, m.Epoch);
            run.WriteMetrics(history);
            run.WriteSummary(Summary.Build(config, experiment, history, status, sw.Elapsed.TotalSeconds, null));
            display.OnEpoch(m, config.Epochs);
        };

        try
        {
            display.Run(() => trainer.Fit(experiment.TrainBatches, experiment.TrainLoader.BatchesPerEpoch, experiment.EvalBatches, startEpoch, cancellation));
        }
        catch (OperationCanceledException)
        {
            run.WriteSummary(Summary.Build(config, experiment, history, "interrupted", sw.Elapsed.TotalSeconds, null));
            Console.Error.WriteLine(history.Count == 0
                ? $"Interrupted before the first epoch completed; nothing was checkpointed in {run.Path}."
                : $"Interrupted. Epoch {history[^1].Epoch + 1} (the last completed one) is saved in {run.Path}; continue with: winnow train --resume {run.Path}");
            return 130;
        }
        catch (TrainingDivergedException e)
        {
            run.WriteSummary(Summary.Build(config, experiment, history, "diverged", sw.Elapsed.TotalSeconds, null));
            Console.Error.WriteLine($"error: {e.Message} Run directory: {run.Path}.");
            return 3;
        }

        EvalResult? finalTest = experiment.HeldOutTest is null ? null : Evaluator.Evaluate(experiment.Model, new NN.Data.DataLoader(experiment.HeldOutTest, config.EvalBatchSize, new NN.Data.DataLoaderOptions { Shuffle = false, Normalization = experiment.Data.Spec.Normalization }).Epoch(0).Select(b => new LabeledBatch(b.Images, b.Labels)));
        run.WriteSummary(Summary.Build(config, experiment, history, "completed", sw.Elapsed.TotalSeconds, finalTest));
        var last = history[^1];
        double best = history.Max(h => h.TestAccuracy ?? 0);
        string what = experiment.HeldOutTest is null ? "test" : "validation";
        console.WriteLine(Format.Invariant($"Final {what} accuracy: {last.TestAccuracy * 100:F2}% (best {best * 100:F2}%){(finalTest is { } t ? Format.Invariant($"; test accuracy {t.Accuracy * 100:F2}%") : "")}. Run directory: {run.Path}"));
        return 0;
    }

    private static void SaveCheckpoint(RunDirectory run, Experiment e, int epoch)
    {
        var metadata = new Dictionary<string, string>
        {
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["model"] = e.Config.Model,
            ["dataset"] = e.Config.Dataset,
            ["config"] = File.ReadAllText(run.ConfigFile),
            ["winnow_version"] = Cli.Version,
        };
        Checkpoint.Save(run.CheckpointFile, e.Model, e.Optimizer, e.Rngs, metadata);
    }
}
