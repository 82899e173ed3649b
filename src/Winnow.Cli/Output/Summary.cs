using System.Runtime.InteropServices;
using Winnow.Cli.Config;
using Winnow.Kernels;
using Winnow.NN.Training;

namespace Winnow.Cli.Output;

/// <summary>The summary.json of a run: results, the settings and the environment that produced them.</summary>
public static class Summary
{
    public static Dictionary<string, object?> Build(TrainConfig config, Experiment e, IReadOnlyList<EpochMetrics> history, string status, double seconds, EvalResult? finalTest)
    {
        var last = history.Count > 0 ? history[^1] : null;
        var best = history.Where(h => h.TestAccuracy is not null).MaxBy(h => h.TestAccuracy);
        return new Dictionary<string, object?>
        {
            ["status"] = status,
            ["model"] = config.Model,
            ["dataset"] = config.Dataset,
            ["data_dir"] = e.Data.Location.Directory,
            ["data_source"] = e.Data.Location.Source.ToString(),
            ["train_images"] = e.TrainSet.Count,
            ["eval_images"] = e.EvalSet.Count,
            ["eval_set"] = e.HeldOutTest is null ? "test" : "validation",
            ["parameters"] = e.Model.ParameterCount(),
            ["epochs_completed"] = history.Count,
            ["last_epoch_accuracy"] = last?.TestAccuracy,
            ["best_epoch_accuracy"] = best?.TestAccuracy,
            ["best_epoch"] = best is null ? null : best.Epoch + 1,
            ["final_test_accuracy"] = finalTest?.Accuracy ?? (e.HeldOutTest is null ? last?.TestAccuracy : null),
            ["last_train_loss"] = last?.TrainLoss,
            ["mean_train_images_per_s"] = history.Count > 0 ? Math.Round(history.Average(h => h.ImagesPerSecond), 1) : null,
            ["wall_seconds"] = Math.Round(seconds, 2),
            ["seed"] = config.Seed,
            ["config"] = ConfigFile.ToDictionary(config),
            ["environment"] = new Dictionary<string, object?>
            {
                ["winnow"] = Cli.Version,
                ["dotnet"] = RuntimeInformation.FrameworkDescription,
                ["os"] = RuntimeInformation.OSDescription,
                ["cpu_cores"] = Environment.ProcessorCount,
                ["threads"] = Parallelism.MaxThreads,
                ["avx2"] = System.Runtime.Intrinsics.X86.Avx2.IsSupported,
                ["fma"] = System.Runtime.Intrinsics.X86.Fma.IsSupported,
                ["command_line"] = Environment.CommandLine,
            },
        };
    }
}
