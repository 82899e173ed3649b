using Winnow.Cli.Config;

namespace Winnow.Cli.Tests;

public sealed class PresetTests
{
    public static TheoryData<string> Presets()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(CliRunner.RepoRoot(), "configs"), "*.yaml").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void PresetsAreValidConfigsOfTheirVerb(string name)
    {
        string path = Path.Combine(CliRunner.RepoRoot(), "configs", name);
        if (name.StartsWith("sm-", StringComparison.Ordinal) || name.StartsWith("set-", StringComparison.Ordinal) || name.StartsWith("rigl-", StringComparison.Ordinal))
        {
            Assert.Contains($"winnow sparse-train --config configs/{name}", File.ReadAllText(path));
            var sparse = new TrainConfig { Verb = ConfigVerbs.Train | ConfigVerbs.SparseTrain };
            ConfigFile.Apply(path, sparse);
            Assert.Equal(name.Split('-')[0], sparse.Method);
            Assert.InRange(Winnow.Cli.Commands.SparseTrainCommand.Resolve(sparse).Density, 0.001, 0.2);
            return;
        }

        if (name.StartsWith("subnet-", StringComparison.Ordinal))
        {
            Assert.Contains($"winnow subnet --config configs/{name}", File.ReadAllText(path));
            var subnet = Winnow.Cli.Commands.SubnetCommand.Defaults();
            subnet.Verb = ConfigVerbs.Train | ConfigVerbs.Subnet;
            ConfigFile.Apply(path, subnet);
            Assert.InRange(Winnow.Cli.Commands.SubnetCommand.Resolve(subnet).KeepFraction, 0.01, 0.9);
            Assert.Contains(Winnow.Cli.Commands.SubnetCommand.ModelName(subnet), Winnow.NN.Models.ModelZoo.Names);
            return;
        }

        if (name.StartsWith("cs-", StringComparison.Ordinal))
        {
            Assert.Contains($"winnow cs --config configs/{name}", File.ReadAllText(path));
            var cs = new TrainConfig { Verb = ConfigVerbs.Train | ConfigVerbs.Cs };
            ConfigFile.Apply(path, cs);
            Assert.NotEmpty(CsSetup.Sweep(cs));
            return;
        }

        if (File.ReadAllText(path).Contains($"winnow train --config configs/{name}", StringComparison.Ordinal))
        {
            var train = new TrainConfig { Verb = ConfigVerbs.Train };
            ConfigFile.Apply(path, train);
            Assert.Contains(train.Model, Winnow.NN.Models.ModelZoo.Names);
            return;
        }

        var verb = name.StartsWith("lottery", StringComparison.Ordinal) ? ConfigVerbs.Lottery : ConfigVerbs.Prune;
        Assert.Contains($"winnow {verb.ToString().ToLowerInvariant()} --config configs/{name}", File.ReadAllText(path));
        var config = new TrainConfig { Verb = verb };
        ConfigFile.Apply(path, config);
        if (verb == ConfigVerbs.Lottery)
        {
            var options = SparsitySetup.Lottery(config);
            Assert.True(options.Levels >= 1);
        }
        else
        {
            SparsitySetup.When(config);
            SparsitySetup.Density(config);
            SparsitySetup.Criterion(config);
            SparsitySetup.Distribution(config);
        }
    }

    [Fact]
    public void TheLotteryPresetIsTheAcceptanceRecipe()
    {
        var config = new TrainConfig { Verb = ConfigVerbs.Lottery };
        ConfigFile.Apply(Path.Combine(CliRunner.RepoRoot(), "configs", "lottery-lenet300-fashion.yaml"), config);
        var o = SparsitySetup.Lottery(config);
        Assert.Equal(("lenet300", 10, 100, 0.1, 0.9), (config.Model, config.Epochs, config.BatchSize, config.Lr, config.Momentum));
        Assert.Equal((8, 0.2, 0L), (o.Levels, o.PruneFraction, o.Rewind.ToStep(600, 6000)));
        Assert.True(o.RandomReinitControl);
    }
}
