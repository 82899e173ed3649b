using System.Text.Json;
using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Cli.Tests;

[Collection("Cli")]
public sealed class SparseTrainCommandTests : SparsityRuns
{
    [Fact]
    public void SparseMomentumWritesTheRunDirectoryUpdatesAndCosts()
    {
        var (_, output, _) = Ok(Args("sparse-train", "sm", "--method", "sm", "--density", "0.1", "--epochs", "3", "--momentum", "0.9", "--nesterov", null));
        string dir = Dir("sm");
        Assert.Contains("sparse training (sm)", output);
        Assert.Contains("grow momentum, redistribute momentum, cosine prune rate from 0.5", output);
        foreach (var f in new[] { "config.json", "metrics.csv", "metrics.jsonl", "summary.json", "checkpoint.safetensors", "sparsity.txt", "updates.jsonl" })
        {
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        }

        var lines = File.ReadAllLines(Path.Combine(dir, "updates.jsonl"));
        Assert.Equal(2, lines.Length);
        var update = JsonDocument.Parse(lines[0]).RootElement;
        Assert.True(update.GetProperty("removed").GetInt64() > 0);
        Assert.Equal(3, update.GetProperty("layers").GetArrayLength());
        Assert.True(update.GetProperty("layers")[0].GetProperty("share").GetDouble() > 0);

        var summary = Json(Path.Combine(dir, "summary.json"));
        var st = summary.GetProperty("sparse_training");
        Assert.Equal(2, st.GetProperty("mask_updates").GetInt32());
        Assert.InRange(st.GetProperty("measured_density").GetDouble(), 0.09, 0.11);
        Assert.True(st.GetProperty("estimated_speedup").GetDouble() > 5);
        Assert.True(st.GetProperty("training_flops_per_image").GetDouble() < summary.GetProperty("sparsity").GetProperty("dense_training_flops").GetDouble());
        var ckpt = Checkpoint.Load(Path.Combine(dir, "checkpoint.safetensors"));
        var mask = MaskCheckpoint.Read(ckpt)["fc1.weight"].ToArray();
        var w = ckpt.Model["fc1.weight"].ToArray();
        Assert.All(Enumerable.Range(0, w.Length), i => Assert.True(mask[i] == 1 || w[i] == 0));
        Assert.Equal("sm", Json(Path.Combine(dir, "config.json")).GetProperty("method").GetString());
    }

    [Fact]
    public void RigLAndSetKeepTheExactDensityAndStaticNeverUpdates()
    {
        Ok(Args("sparse-train", "rigl", "--method", "rigl", "--density", "0.1", "--epochs", "2", "--update-every", "5"));
        var rigl = Json(Path.Combine(Dir("rigl"), "summary.json")).GetProperty("sparse_training");
        Assert.True(rigl.GetProperty("mask_updates").GetInt32() > 0);
        Ok(Args("sparse-train", "set", "--method", "set", "--density", "0.1", "--epochs", "2"));
        var set = Json(Path.Combine(Dir("set"), "summary.json")).GetProperty("sparse_training");
        Assert.Equal(1, set.GetProperty("mask_updates").GetInt32());
        foreach (var name in new[] { "rigl", "set" })
        {
            foreach (var line in File.ReadAllLines(Path.Combine(Dir(name), "updates.jsonl")))
            {
                var u = JsonDocument.Parse(line).RootElement;
                Assert.Equal(u.GetProperty("removed").GetInt64(), u.GetProperty("regrown").GetInt64());
            }
        }

        Ok(Args("sparse-train", "static", "--method", "static", "--density", "0.1", "--epochs", "2"));
        Assert.Equal(0, Json(Path.Combine(Dir("static"), "summary.json")).GetProperty("sparse_training").GetProperty("mask_updates").GetInt32());
    }

    [Fact]
    public void GlobalVariantsAndErSearchInitReportTheirSearches()
    {
        var (_, output, _) = Ok(Args("sparse-train", "global", "--method", "sm", "--density", "0.1", "--epochs", "3", "--drop", "global_magnitude", "--growth", "global_momentum_growth", "--sparse-init", "linear"));
        Assert.Contains("drop global_magnitude, grow global_momentum_growth", output);
        Assert.Contains("init linear", output);
        foreach (var line in File.ReadAllLines(Path.Combine(Dir("global"), "updates.jsonl")))
        {
            var u = JsonDocument.Parse(line).RootElement;
            foreach (var key in new[] { "drop_search", "growth_search" })
            {
                var search = u.GetProperty(key);
                Assert.True(search.GetProperty("threshold").GetDouble() > 0);
                Assert.True(search.GetProperty("reached").GetInt64() > 0);
                bool within = search.GetProperty("within_tolerance").GetBoolean();
                Assert.Equal(within, !output.Contains($"global {key[..^7]} threshold search of the update at step {u.GetProperty("step").GetInt64()} ", StringComparison.Ordinal));
            }
        }

        var st = Json(Path.Combine(Dir("global"), "summary.json")).GetProperty("sparse_training");
        Assert.True(st.GetProperty("er_search_epsilon").GetDouble() > 0);

        Ok(Args("sparse-train", "neuron", "--method", "sm", "--density", "0.1", "--epochs", "2", "--growth", "momentum_neuron"));
        var neuron = JsonDocument.Parse(File.ReadAllLines(Path.Combine(Dir("neuron"), "updates.jsonl"))[0]).RootElement;
        Assert.Equal(JsonValueKind.Null, neuron.GetProperty("drop_search").ValueKind);
        Assert.True(neuron.GetProperty("removed").GetInt64() > 0);
    }

    [Fact]
    public void BadMethodAndStrategyNamesAreCleanErrors()
    {
        Fails(Args("sparse-train", "bad", "--method", "deepr"), "deepr", "sm, set, rigl");
        Fails(Args("sparse-train", "bad", "--growth", "momentun"), "momentum");
        Fails(Args("sparse-train", "bad", "--growth", "momentum_nueron"), "Did you mean", "momentum_neuron");
        Fails(Args("sparse-train", "bad", "--drop", "global_magnitud"), "drop criterion", "global_magnitude");
        Fails(Args("sparse-train", "bad", "--sparse-init", "er-serch"), "mask init", "er-search");
        Fails(Args("sparse-train", "bad", "--density", "0"), "--density");
        Fails(Args("sparse-train", "bad", "--sparse-kernels", "always"), "--sparse-kernels must be auto, on or off");
        Fails(Args("sparse-train", "bad", "--dense-grad", "approx"), "--dense-grad must be exact");
    }

    [Fact]
    public void SparseKernelsRunTheMaskedLayersAndAreRecorded()
    {
        var (_, output, _) = Ok(Args("sparse-train", "kernels", "--method", "sm", "--density", "0.05", "--epochs", "2", "--sparse-kernels", "on", "--dense-grad", "fast"));
        Assert.Contains("kernels: 3 of 3 masked layers sparse (--sparse-kernels on), weight gradient fast", output);
        var st = Json(Path.Combine(Dir("kernels"), "summary.json")).GetProperty("sparse_training");
        Assert.Equal("fast", st.GetProperty("dense_grad").GetString());
        Assert.Equal(3, st.GetProperty("sparse_layers").GetArrayLength());
        Assert.True(st.GetProperty("mask_updates").GetInt32() > 0);

        // eval (--sparse-kernels auto) of a uniform 5% net: fc3's 1,000 weights stay dense alone but continue the fused fc1–fc2 chain.
        Ok(Args("sparse-train", "uniform", "--method", "static", "--density", "0.05", "--sparse-init", "uniform"));
        var (_, eval, _) = Ok(["eval", Dir("uniform"), "--data", Data]);
        Assert.True(eval.Contains("2 of 3 conv/linear layers on sparse kernels and 1 small one when it continues a fused sparse chain, --sparse-kernels auto", StringComparison.Ordinal), eval);
    }
}
