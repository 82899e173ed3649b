using System.Text.Json;
using Winnow.NN.Serialization;

namespace Winnow.Cli.Tests;

[Collection("Cli")]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _data = TinyIdx.Create();
    private readonly string _runs = Path.Combine(Path.GetTempPath(), "winnow-runs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Directory.Delete(_data, true);
        if (Directory.Exists(_runs))
        {
            Directory.Delete(_runs, true);
        }
    }

    // The standard small run; pairs in `overrides` ("--epochs", "1", …) replace or add flags.
    private string[] Train(string outName, params string[] overrides)
    {
        var flags = new List<(string Name, string Value)>
        {
            ("--model", "lenet300"), ("--data", _data), ("--epochs", "2"), ("--batch-size", "50"), ("--lr", "0.05"), ("--seed", "3"), ("--out", Path.Combine(_runs, outName)),
        };
        for (int i = 0; i < overrides.Length; i += 2)
        {
            flags.RemoveAll(f => f.Name == overrides[i]);
            flags.Add((overrides[i], overrides[i + 1]));
        }

        return ["train", .. flags.SelectMany(f => new[] { f.Name, f.Value })];
    }

    [Fact]
    public void TrainWritesARunDirectoryAndLearnsTheTask()
    {
        var (code, output, err) = CliRunner.Run(Train("a"));
        Assert.True(code == 0, err + output);
        string dir = Path.Combine(_runs, "a");
        Assert.Contains("Final test accuracy", output);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Length);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")).Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal("completed", summary.RootElement.GetProperty("status").GetString());
        Assert.True(summary.RootElement.GetProperty("last_epoch_accuracy").GetDouble() > 0.9);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json")));
        Assert.Equal("lenet300", config.RootElement.GetProperty("model").GetString());
        var ckpt = Checkpoint.Load(Path.Combine(dir, "checkpoint.safetensors"));
        Assert.Contains("fc1.weight", ckpt.Model.Keys);
        Assert.Equal("1", ckpt.Metadata["epoch"]);
    }

    [Fact]
    public void ResumeEndsBitIdenticalToAnUninterruptedRun()
    {
        Assert.Equal(0, CliRunner.Run(Train("full")).ExitCode);
        Assert.Equal(0, CliRunner.Run(Train("part", "--epochs", "1")).ExitCode);
        var (code, output, err) = CliRunner.Run("train", "--resume", Path.Combine(_runs, "part"), "--epochs", "2");
        Assert.True(code == 0, err + output);
        Assert.Contains("resuming after epoch 1", output);
        var full = Checkpoint.Load(Path.Combine(_runs, "full", "checkpoint.safetensors"));
        var resumed = Checkpoint.Load(Path.Combine(_runs, "part", "checkpoint.safetensors"));
        foreach (var (name, t) in full.File.Tensors)
        {
            Assert.Equal(t.ToArray(), resumed.File.Tensors[name].ToArray());
        }

        Assert.Equal(2, File.ReadAllLines(Path.Combine(_runs, "part", "metrics.jsonl")).Length);
    }

    [Fact]
    public void FlagsOverrideTheConfigFile()
    {
        string cfg = Path.Combine(_data, "cfg.yaml");
        File.WriteAllText(cfg, "model: lenet5\nepochs: 5\nbatch-size: 50\n");
        var (code, output, err) = CliRunner.Run(Train("c", "--config", cfg, "--epochs", "1"));
        Assert.True(code == 0, err + output);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(_runs, "c", "config.json")));
        // --model lenet300 and --epochs 1 on the command line beat the file's lenet5 and 5.
        Assert.Equal("lenet300", config.RootElement.GetProperty("model").GetString());
        Assert.Equal(1, config.RootElement.GetProperty("epochs").GetInt32());
    }

    [Fact]
    public void UnknownModelGetsASuggestionAndNoStackTrace()
    {
        var (code, _, err) = CliRunner.Run("train", "--model", "lenet-5", "--data", _data);
        Assert.Equal(2, code);
        Assert.StartsWith("error: Unknown model 'lenet-5'.", err);
        Assert.Contains("Did you mean 'lenet5'?", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void ModelThatDoesNotFitTheDatasetIsExplainedAndLeavesNoRunFolder()
    {
        var (code, _, err) = CliRunner.Run(Train("misfit", "--model", "vgg16"));
        Assert.Equal(2, code);
        Assert.Contains("Model 'vgg16' does not fit dataset 'fashion-mnist' (1×28×28, 10 classes)", err);
        Assert.Contains("at least 32×32", err);
        Assert.DoesNotContain("(Parameter", err);
        Assert.False(Directory.Exists(Path.Combine(_runs, "misfit")));
    }

    [Fact]
    public void InvalidHyperparameterNamesTheOption()
    {
        var (code, _, err) = CliRunner.Run(Train("bad", "--momentum", "1.5"));
        Assert.Equal(2, code);
        Assert.Contains("--momentum 1.5 is invalid: expected in [0, 1)", err);
    }

    [Fact]
    public void CorruptDataFileIsNamed()
    {
        File.WriteAllBytes(Path.Combine(_data, "t10k-labels-idx1-ubyte.gz"), [0x1f, 0x8b, 1, 2, 3]);
        var (code, _, err) = CliRunner.Run(Train("corrupt"));
        Assert.Equal(2, code);
        Assert.Contains("t10k-labels-idx1-ubyte", err);
        Assert.False(File.Exists(Path.Combine(_runs, "corrupt", "checkpoint.safetensors")));
    }

    [Fact]
    public void DivergenceStopsWithAHintAndKeepsTheLastGoodCheckpoint()
    {
        var (code, output, err) = CliRunner.Run(Train("nan", "--lr", "1e12", "--epochs", "3"));
        Assert.True(code == 3, $"exit {code}: {err} {output}");
        Assert.Contains("The training loss became", err);
        Assert.Contains("lower learning rate", err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_runs, "nan", "summary.json")));
        Assert.Equal("diverged", summary.RootElement.GetProperty("status").GetString());
        string ckpt = Path.Combine(_runs, "nan", "checkpoint.safetensors");
        if (File.Exists(ckpt))
        {
            Checkpoint.Load(ckpt);
        }
    }

    [Fact]
    public void EvalReportsTheAccuracyOfASavedRun()
    {
        Assert.Equal(0, CliRunner.Run(Train("e")).ExitCode);
        var (code, output, err) = CliRunner.Run("eval", Path.Combine(_runs, "e"), "--data", _data);
        Assert.True(code == 0, err + output);
        Assert.Contains("lenet300 on Fashion-MNIST test set (200 images", output);
        Assert.Contains("accuracy", output);
    }
}
