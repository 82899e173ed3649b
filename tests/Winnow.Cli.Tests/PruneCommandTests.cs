using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Cli.Tests;

[Collection("Cli")]
public sealed class PruneCommandTests : SparsityRuns
{
    [Fact]
    public void SnipAtInitialisationTrainsTheSparseNetworkAndWritesTheRunDirectory()
    {
        var (_, output, _) = Ok(Args("prune", "snip", "--criterion", "snip", "--density", "0.1"));
        string dir = Dir("snip");
        Assert.Contains("snip scores, global distribution, target density 10.00%", output);
        Assert.Contains("masked tensors: 26,620 of 266,200 kept (density 10.00%)", output);
        foreach (var f in new[] { "config.json", "metrics.csv", "metrics.jsonl", "summary.json", "checkpoint.safetensors", "sparsity.txt" })
        {
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        }

        var summary = Json(Path.Combine(dir, "summary.json"));
        Assert.Equal(0.1, summary.GetProperty("sparsity").GetProperty("masked_density").GetDouble(), 6);
        Assert.Equal("init", summary.GetProperty("pruning").GetProperty("when").GetString());
        Assert.True(summary.GetProperty("last_epoch_accuracy").GetDouble() > 0.5);
        var ckpt = Checkpoint.Load(Path.Combine(dir, "checkpoint.safetensors"));
        var mask = MaskCheckpoint.Read(ckpt)["fc2.weight"].ToArray();
        var w = ckpt.Model["fc2.weight"].ToArray();
        Assert.All(Enumerable.Range(0, w.Length), i => Assert.True(mask[i] == 1 || w[i] == 0));
        Assert.Equal("init", Json(Path.Combine(dir, "config.json")).GetProperty("when").GetString());
    }

    [Fact]
    public void OneShotPruningOfATrainedRunReportsAccuracyBeforeAndAfterAndFineTunes()
    {
        Ok(Args("train", "dense", "--epochs", "2"));
        var (_, output, _) = Ok(Args("prune", "oneshot", "--model", "<drop>", "--epochs", "<drop>", "--from", Dir("dense"), "--sparsity", "0.8", "--finetune-epochs", "1", "--distribution", "uniform"));
        Assert.Contains("accuracy before pruning", output);
        Assert.Contains("right after pruning", output);
        var summary = Json(Path.Combine(Dir("oneshot"), "summary.json"));
        Assert.True(summary.GetProperty("pruning").GetProperty("accuracy_before_pruning").GetDouble() > 0.8);
        Assert.Equal(1, summary.GetProperty("epochs_completed").GetInt32());
        Assert.Equal(0.2, summary.GetProperty("sparsity").GetProperty("masked_density").GetDouble(), 6);
        Assert.Equal("lenet300", Json(Path.Combine(Dir("oneshot"), "config.json")).GetProperty("model").GetString());

        // Without fine-tuning: a checkpoint of the pruned weights and no epochs; pruning again continues inside the masks.
        Ok(Args("prune", "noft", "--model", "<drop>", "--epochs", "<drop>", "--from", Dir("oneshot"), "--density", "0.1"));
        var noft = Checkpoint.Load(Path.Combine(Dir("noft"), "checkpoint.safetensors"));
        Assert.False(noft.Metadata.ContainsKey("epoch"));
        var before = MaskCheckpoint.Read(Checkpoint.Load(Path.Combine(Dir("oneshot"), "checkpoint.safetensors")))["fc1.weight"].ToArray();
        var after = MaskCheckpoint.Read(noft)["fc1.weight"].ToArray();
        Assert.All(Enumerable.Range(0, after.Length), i => Assert.True(after[i] == 0 || before[i] == 1));
        Assert.Equal(0.1, Json(Path.Combine(Dir("noft"), "summary.json")).GetProperty("sparsity").GetProperty("masked_density").GetDouble(), 6);
    }

    [Fact]
    public void GradualPruningReachesTheTargetAndMasksTransferToAnotherRun()
    {
        var (_, output, _) = Ok(Args("prune", "gmp", "--when", "gradual", "--density", "0.2", "--epochs", "2", "--prune-frequency", "5"));
        Assert.Contains("gradual magnitude pruning to 20.00% between steps 2 and 18 of 24", output);
        Assert.Equal(0.2, Json(Path.Combine(Dir("gmp"), "summary.json")).GetProperty("sparsity").GetProperty("masked_density").GetDouble(), 6);

        var (_, retrain, _) = Ok(Args("prune", "retrain", "--masks", Dir("gmp")));
        Assert.Contains("masks of", retrain);
        var a = MaskCheckpoint.Read(Checkpoint.Load(Path.Combine(Dir("gmp"), "checkpoint.safetensors")));
        var b = MaskCheckpoint.Read(Checkpoint.Load(Path.Combine(Dir("retrain"), "checkpoint.safetensors")));
        Assert.Equal(1.0, MaskOverlap.Compare(a, b).Overall.Jaccard);
    }
}
