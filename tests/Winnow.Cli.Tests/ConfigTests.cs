using Winnow.Cli.Config;

namespace Winnow.Cli.Tests;

public sealed class ConfigTests
{
    private static string Temp(string name, string text)
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void JsonAndYamlFilesSetTheSameFields()
    {
        var fromJson = new TrainConfig();
        ConfigFile.Apply(Temp(".json", """{"model": "lenet300", "batch-size": 64, "lr": 0.1, "nesterov": true, "seed": 7}"""), fromJson);
        var fromYaml = new TrainConfig();
        ConfigFile.Apply(Temp(".yaml", "model: lenet300\nbatch_size: 64\nlr: 0.1\nnesterov: true\nseed: 7\n"), fromYaml);
        foreach (var c in new[] { fromJson, fromYaml })
        {
            Assert.Equal("lenet300", c.Model);
            Assert.Equal(64, c.BatchSize);
            Assert.Equal(0.1, c.Lr);
            Assert.True(c.Nesterov);
            Assert.Equal(7UL, c.Seed);
        }
    }

    [Fact]
    public void UnknownKeySuggestsTheNearestSetting()
    {
        var ex = Assert.Throws<CliException>(() => ConfigFile.Apply(Temp(".json", """{"epocs": 3}"""), new TrainConfig()));
        Assert.Contains("unknown setting 'epocs'", ex.Message);
        Assert.Contains("Did you mean 'epochs'?", ex.Message);
    }

    [Fact]
    public void WrongTypeNamesTheFileTheKeyAndTheExpectedType()
    {
        string path = Temp(".yaml", "epochs: many\n");
        var ex = Assert.Throws<CliException>(() => ConfigFile.Apply(path, new TrainConfig()));
        Assert.Contains(path, ex.Message);
        Assert.Contains("'epochs' expects an integer, got 'many'", ex.Message);
    }

    [Fact]
    public void MalformedFilesAreReportedWithTheirPath()
    {
        string json = Temp(".json", "{ \"epochs\": ");
        Assert.Contains("is not valid JSON", Assert.Throws<CliException>(() => ConfigFile.Apply(json, new TrainConfig())).Message);
        var missing = Assert.Throws<CliException>(() => ConfigFile.Apply("/nonexistent/winnow.yaml", new TrainConfig()));
        Assert.Contains("/nonexistent/winnow.yaml", missing.Message);
    }
}
