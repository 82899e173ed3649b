using System.Globalization;
using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Cli.Tests;

[Collection("Cli")]
public sealed class CsCommandTests : SparsityRuns
{
    [Fact]
    public void SweepWritesRoundsTicketsAndTheDensityAccuracyTable()
    {
        var (_, output, _) = Ok(Args("cs", "cs", "--epochs", "2", "--rounds", "1", "--rewind-epoch", "1", "--mask-init", "0.05,-0.05", "--lambda", "1e-6"));
        string dir = Dir("cs");
        Assert.Contains("round  temperature  hard density  soft acc  hard acc", output);
        Assert.Contains("s0     lambda   density", output);

        var sweep = File.ReadAllLines(Path.Combine(dir, "sweep.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2, sweep.Count);
        Assert.Equal("0.05", sweep[0][0]);
        Assert.All(sweep, r => Assert.Equal("266200", r[3]));
        Assert.All(sweep, r => Assert.Equal("4", r[7])); // 1 round × 2 epochs + 2 retraining epochs

        string run = Path.Combine(dir, "s0_-0.05_lambda_1E-6");
        var rounds = File.ReadAllLines(Path.Combine(run, "rounds.csv"));
        Assert.StartsWith("round,temperature,kept,total,hard_density,soft_acc,hard_acc", rounds[0]);
        Assert.Equal(2, rounds.Length);
        Assert.Equal(200, double.Parse(rounds[1].Split(',')[1], CultureInfo.InvariantCulture));
        Assert.True(File.Exists(Path.Combine(run, "round-00", "metrics.csv")));
        Assert.True(File.Exists(Path.Combine(run, "ticket", "metrics.csv")));
        Assert.True(File.Exists(Path.Combine(run, "sparsity.txt")));

        var ckpt = Checkpoint.Load(Path.Combine(run, "checkpoint.safetensors"));
        var mask = MaskCheckpoint.Read(ckpt)["fc1.weight"].ToArray();
        var w = ckpt.Model["fc1.weight"].ToArray();
        long kept = MaskCheckpoint.Read(ckpt).Values.Sum(m => (long)m.ToArray().Sum());
        Assert.Equal(long.Parse(sweep[1][2], CultureInfo.InvariantCulture), kept);
        Assert.All(Enumerable.Range(0, mask.Length), i => Assert.True(mask[i] == 1 || w[i] == 0));

        var summary = Json(Path.Combine(dir, "summary.json"));
        Assert.Equal("completed", summary.GetProperty("status").GetString());
        Assert.Equal(2, summary.GetProperty("runs").GetArrayLength());
        Assert.Equal("0.05,-0.05", Json(Path.Combine(dir, "config.json")).GetProperty("mask-init").GetString());
    }

    [Fact]
    public void PruneModeWithATargetDensityKeepsExactlyTopK()
    {
        Ok(Args("cs", "prune", "--rounds", "1", "--cs-mode", "prune", "--target-density", "0.1", "--clip-mode", "paper"));
        var row = File.ReadAllLines(Path.Combine(Dir("prune"), "sweep.csv"))[1].Split(',');
        long total = long.Parse(row[3], CultureInfo.InvariantCulture);
        Assert.Equal((long)Math.Round(0.1 * total), long.Parse(row[2], CultureInfo.InvariantCulture));
        Assert.Equal("1", row[7]);
    }

    [Fact]
    public void BadSettingsFailWithTheOptionName()
    {
        Fails(Args("cs", "bad1", "--clip-mode", "papr"), "--clip-mode", "paper");
        Fails(Args("cs", "bad2", "--mask-init", "0,x"), "--mask-init", "'x'");
        Fails(Args("cs", "bad3", "--rewind-epoch", "2", "--epochs", "2"), "--rewind-epoch 2");
        Fails(Args("cs", "bad4", "--target-density", "2"), "TargetDensity");
    }
}
