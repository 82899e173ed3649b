using Winnow.Cli.Settings;
using Winnow.NN.Data;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Schedules;
using Winnow.NN.Training;

namespace Winnow.Cli.Tests;

/// <summary>The generic settings binder over library options records (defaults &lt; config file), and its errors.</summary>
public sealed class SettingsSchemaTests
{
    private static VerbSchema Schema() => new("schema-test", new DataSettings(), new ModelSettings(), new TrainingSettings(), new OptimizerSettings(), new ScheduleSettings());

    private static string Temp(string name, string text)
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void JsonAndYamlBindOntoTheRecords_AndTheResolvedConfigReadsBackTheSame()
    {
        var json = Schema().Resolve(null, Temp(".json", """{"model": "LeNet300", "batch-size": 64, "lr": 0.1, "nesterov": true, "seed": 7, "optimizer": "adam", "milestones": [3, 6], "schedule": "multistep"}"""));
        var yaml = Schema().Resolve(null, Temp(".yaml", "model: lenet300\nbatch_size: 64\nlr: 0.1\nnesterov: yes\nseed: 7\noptimizer: Adam\nmilestones: 3,6\nschedule: multistep\n"));
        foreach (var s in new[] { json, yaml })
        {
            Assert.Equal("lenet300", s.Get<ModelSettings>().Model);
            Assert.Equal(64, s.Get<DataSettings>().BatchSize);
            Assert.Equal(0.1, s.Get<OptimizerSettings>().Lr);
            Assert.True(s.Get<OptimizerSettings>().Nesterov);
            Assert.Equal(OptimizerKind.Adam, s.Get<OptimizerSettings>().Optimizer);
            Assert.Equal(7UL, s.Get<TrainingSettings>().Seed);
            Assert.Equal([3, 6], s.Get<ScheduleSettings>().Milestones);
        }

        string written = Temp(".json", System.Text.Json.JsonSerializer.Serialize(json.ToConfig()));
        Assert.Equal("schema-test", json.ToConfig()["verb"]);
        var again = Schema().Resolve(null, written);
        Assert.Equal(json.ToConfig().Select(kv => $"{kv.Key}={System.Text.Json.JsonSerializer.Serialize(kv.Value)}"), again.ToConfig().Select(kv => $"{kv.Key}={System.Text.Json.JsonSerializer.Serialize(kv.Value)}"));
        Assert.Equal(5, Schema().Resolve(null, Temp(".yaml", "lr: 0.2\n")).Get<TrainingSettings>().Epochs);
    }

    [Fact]
    public void OutOfRangeValueNamesTheFileKeyFlagAndRange()
    {
        string path = Temp(".yaml", "epochs: 1\nmomentum: 1.5\n");
        var e = Assert.Throws<CliException>(() => Schema().Resolve(null, path));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 2", e.Message);
        Assert.Contains("momentum (flag --momentum) '1.5' is invalid: expected a number in [0, 1)", e.Message);
    }

    [Fact]
    public void UnknownNamesSuggestTheNearest()
    {
        var key = Assert.Throws<CliException>(() => Schema().Resolve(null, Temp(".json", """{"epocs": 3}""")));
        Assert.Contains("unknown setting 'epocs'. Did you mean 'epochs'?", key.Message);
        var value = Assert.Throws<CliException>(() => Schema().Resolve(null, Temp(".json", """{"optimizer": "sdg"}""")));
        Assert.Contains("expected one of sgd, adam. Did you mean 'sgd'?", value.Message);
        var model = Assert.Throws<CliException>(() => Schema().Resolve(null, Temp(".json", """{"model": "lenet30"}""")));
        Assert.Contains("Did you mean 'lenet300'?", model.Message);
    }

    [Theory]
    [InlineData(".json", """{"lr": 0.1, "lr": 0.2}""", "is given twice")]
    [InlineData(".json", """{"lr": 0.1, "LR": 0.2}""", "also as 'lr'")]
    [InlineData(".yaml", "lr: 0.1\n---\nlr: 0.2\n", "holds 2 YAML documents")]
    [InlineData(".yaml", "milestones: [1, 2\n", "is not valid YAML")]
    [InlineData(".yaml", "milestones: [[1, 2], [3]]\n", "nested list")]
    [InlineData(".yaml", "? [a, b]\n: 1\n", "a key must be a plain name")]
    [InlineData(".yaml", "lr:\n  value: 0.1\n", "holds a mapping")]
    [InlineData(".json", """{"lr": {"value": 0.1}}""", "is an object")]
    [InlineData(".json", "[1, 2]", "must hold a JSON object")]
    [InlineData(".json", """{"epochs": [1, 2]}""", "takes one value, not a list")]
    [InlineData(".json", """{"verb": "lottery", "lr": 0.1}""", "is a config of `winnow lottery`")]
    public void MalformedConfigsAreClearErrors(string ext, string text, string expected)
    {
        string path = Temp(ext, text);
        var e = Assert.Throws<CliException>(() => Schema().Resolve(null, path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void NonUtf8ConfigIsAnError()
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllBytes(path, [(byte)'l', (byte)'r', (byte)':', (byte)' ', 0xFF, 0xFE, (byte)'\n']);
        Assert.Contains("is not UTF-8", Assert.Throws<CliException>(() => Schema().Resolve(null, path)).Message);
    }
}
