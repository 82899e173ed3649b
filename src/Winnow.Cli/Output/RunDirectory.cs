using System.Globalization;
using System.Text;
using System.Text.Json;
using Winnow.Cli.Config;
using Winnow.NN.Serialization;
using Winnow.NN.Training;

namespace Winnow.Cli.Output;

/// <summary>
/// A run's output folder: config.json (resolved settings, usable as --config), metrics.jsonl and
/// metrics.csv (one row per epoch), summary.json (results, environment, status) and
/// checkpoint.safetensors. Every file is replaced atomically, so an interrupted run leaves the
/// last complete epoch readable.
/// </summary>
public sealed class RunDirectory
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private static readonly JsonSerializerOptions s_line = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public RunDirectory(string path)
    {
        // Created by the first (atomic) write, so a run that fails validation leaves no empty folder.
        Path = path;
    }

    public string Path { get; }

    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");

    public string CheckpointFile => System.IO.Path.Combine(Path, "checkpoint.safetensors");

    public string MetricsJsonl => System.IO.Path.Combine(Path, "metrics.jsonl");

    public string MetricsCsv => System.IO.Path.Combine(Path, "metrics.csv");

    public string SummaryFile => System.IO.Path.Combine(Path, "summary.json");

    /// <summary>The per-layer sparsity report of `prune` and `lottery` runs.</summary>
    public string SparsityFile => System.IO.Path.Combine(Path, "sparsity.txt");

    /// <summary>A sub-directory run (a lottery level, a control run), created on demand.</summary>
    public RunDirectory Sub(string name) => new(System.IO.Path.Combine(Path, name));

    /// <summary>Writes <paramref name="text"/> to the file <paramref name="name"/> in this directory, atomically.</summary>
    public void WriteText(string name, string text) => AtomicFile.WriteAllText(System.IO.Path.Combine(Path, name), text);

    public void WriteConfig(TrainConfig config) => AtomicFile.WriteAllText(ConfigFile, JsonSerializer.Serialize(ConfigFile_(config), s_json) + "\n");

    /// <summary>Rewrites both metrics files from the full history (atomic, so they always agree with the checkpoint).</summary>
    public void WriteMetrics(IReadOnlyList<EpochMetrics> history)
    {
        var jsonl = new StringBuilder();
        var csv = new StringBuilder("epoch,lr,train_loss,train_acc,test_loss,test_acc,train_seconds,eval_seconds,images_per_s\n");
        foreach (var m in history)
        {
            jsonl.Append(JsonSerializer.Serialize(Row(m), s_line)).Append('\n');
            csv.Append(string.Create(CultureInfo.InvariantCulture,
                $"{m.Epoch + 1},{m.LearningRate:R},{m.TrainLoss:R},{m.TrainAccuracy:R},{m.TestLoss:R},{m.TestAccuracy:R},{m.TrainSeconds:F3},{m.EvalSeconds:F3},{m.ImagesPerSecond:F1}\n"));
        }

        AtomicFile.WriteAllText(MetricsJsonl, jsonl.ToString());
        AtomicFile.WriteAllText(MetricsCsv, csv.ToString());
    }

    /// <summary>Reads the per-epoch history back (for --resume), keeping the first <paramref name="epochs"/> rows.</summary>
    public List<EpochMetrics> ReadMetrics(int epochs)
    {
        var list = new List<EpochMetrics>();
        if (!File.Exists(MetricsJsonl))
        {
            return list;
        }

        foreach (var line in File.ReadLines(MetricsJsonl).Where(l => l.Trim().Length > 0).Take(epochs))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            double? Opt(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            list.Add(new EpochMetrics
            {
                Epoch = r.GetProperty("epoch").GetInt32() - 1,
                LearningRate = r.GetProperty("lr").GetDouble(),
                TrainLoss = r.GetProperty("train_loss").GetDouble(),
                TrainAccuracy = r.GetProperty("train_acc").GetDouble(),
                TestLoss = Opt("test_loss"),
                TestAccuracy = Opt("test_acc"),
                TrainSeconds = r.GetProperty("train_seconds").GetDouble(),
                EvalSeconds = r.GetProperty("eval_seconds").GetDouble(),
                ImagesPerSecond = r.GetProperty("images_per_s").GetDouble(),
            });
        }

        return list;
    }

    public void WriteSummary(object summary) => AtomicFile.WriteAllText(SummaryFile, JsonSerializer.Serialize(summary, s_json) + "\n");

    private static Dictionary<string, object?> ConfigFile_(TrainConfig config) => Config.ConfigFile.ToDictionary(config);

    private static Dictionary<string, object?> Row(EpochMetrics m)
    {
        var row = new Dictionary<string, object?>
        {
            ["epoch"] = m.Epoch + 1,
            ["lr"] = m.LearningRate,
            ["train_loss"] = m.TrainLoss,
            ["train_acc"] = m.TrainAccuracy,
            ["test_loss"] = m.TestLoss,
            ["test_acc"] = m.TestAccuracy,
            ["train_seconds"] = Math.Round(m.TrainSeconds, 3),
            ["eval_seconds"] = Math.Round(m.EvalSeconds, 3),
            ["images_per_s"] = Math.Round(m.ImagesPerSecond, 1),
        };
        foreach (var (k, v) in m.ExtraLosses)
        {
            row[k] = v;
        }

        return row;
    }
}
