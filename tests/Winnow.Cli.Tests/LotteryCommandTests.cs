using System.Globalization;
using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Cli.Tests;

[Collection("Cli")]
public sealed class LotteryCommandTests : SparsityRuns
{
    [Fact]
    public void LotteryWritesPerLevelCheckpointsAndTheDensityAccuracyTable()
    {
        var (_, output, _) = Ok(Args("lottery", "lot", "--levels", "2", "--random-reinit", null));
        string dir = Dir("lot");
        Assert.Contains("level 1/2 random-reinit control", output);
        Assert.Contains("level  density  all conv+linear", output);
        Assert.Contains("reinit best", output);
        Assert.Contains("Ticket at level 2: density 64.00%", output);

        var rows = File.ReadAllLines(Path.Combine(dir, "levels.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(3, rows.Count);
        long expected = 266_200;
        foreach (var row in rows)
        {
            Assert.Equal(expected, long.Parse(row[1], CultureInfo.InvariantCulture));
            Assert.True(double.Parse(row[6], CultureInfo.InvariantCulture) > 0.5, string.Join(",", row));
            expected -= (long)Math.Ceiling(0.2 * expected) + 1;
        }

        Assert.Equal("", rows[0][11]);
        Assert.NotEqual("", rows[2][11]);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "levels.jsonl")).Length);
        var summary = Json(Path.Combine(dir, "summary.json"));
        Assert.Equal("completed", summary.GetProperty("status").GetString());
        Assert.Equal(3, summary.GetProperty("levels").GetArrayLength());
        Assert.Equal(2, Json(Path.Combine(dir, "config.json")).GetProperty("levels").GetInt32());

        var l1 = Checkpoint.Load(Path.Combine(dir, "level-01", "checkpoint.safetensors"));
        var l2 = Checkpoint.Load(Path.Combine(dir, "level-02", "checkpoint.safetensors"));
        Assert.True(File.Exists(Path.Combine(dir, "level-02", "reinit", "checkpoint.safetensors")));
        Assert.True(File.Exists(Path.Combine(dir, "level-02", "sparsity.txt")));
        Assert.False(Directory.Exists(Path.Combine(dir, "level-00", "reinit")));
        var m1 = MaskCheckpoint.Read(l1)["fc1.weight"].ToArray();
        var m2 = MaskCheckpoint.Read(l2)["fc1.weight"].ToArray();
        var w2 = l2.Model["fc1.weight"].ToArray();
        for (int i = 0; i < m2.Length; i++)
        {
            Assert.True(m2[i] == 0 || m1[i] == 1, "level 2 keeps only weights level 1 kept");
            Assert.True(m2[i] == 1 || w2[i] == 0, "pruned weights are exactly zero in the checkpoint");
        }

        Assert.Equal(1000, MaskCheckpoint.Read(l2)["fc3.weight"].ToArray().Sum(v => (int)v));
    }

    [Fact]
    public void LateRewindingRetrainsFromTheRewindStepAndConfigFilesSetLotterySettings()
    {
        string cfg = Path.Combine(Data, "lot.yaml");
        File.WriteAllText(cfg, "levels: 3\nrewind: 1ep\nprune-fraction: 0.5\nignore-last-layer: false\n");
        Ok(Args("lottery", "late", "--config", cfg, "--levels", "1", "--epochs", "2", "--mode", "lr-rewind"));
        var rows = File.ReadAllLines(Path.Combine(Dir("late"), "levels.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("24", rows[0][8]);
        Assert.Equal("12", rows[1][8]);
        Assert.InRange(double.Parse(rows[1][3], CultureInfo.InvariantCulture), 0.49, 0.5);
        var config = Json(Path.Combine(Dir("late"), "config.json"));
        Assert.Equal("1ep", config.GetProperty("rewind").GetString());
        Assert.Equal("lr-rewind", config.GetProperty("mode").GetString());
        Assert.False(config.TryGetProperty("density", out _));
    }
}
