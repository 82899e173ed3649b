using Winnow.NN.Serialization;
using Winnow.Sparsity.Subnetworks;

namespace Winnow.Cli.Tests;

[Collection("Cli")]
public sealed class SubnetCommandTests : SparsityRuns
{
    [Fact]
    public void BipropWritesTheRunDirectorySizeReportAndATicketThatEvalReads()
    {
        var (_, output, _) = Ok(Args("subnet", "mpt", "--model", "fc", "--method", "biprop", "--keep", "0.2", "--epochs", "2", "--lr", "0.1"));
        string dir = Dir("mpt");
        Assert.Contains("biprop MPT-1/32 subnetwork of a random fc", output);
        Assert.Contains("best epoch", output);
        foreach (var f in new[] { "config.json", "metrics.csv", "metrics.jsonl", "summary.json", "checkpoint.safetensors", "ticket.wntk", "subnet.txt" })
        {
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        }

        var summary = Json(Path.Combine(dir, "summary.json"));
        Assert.Equal("completed", summary.GetProperty("status").GetString());
        Assert.True(summary.GetProperty("best_epoch_accuracy").GetDouble() >= summary.GetProperty("last_epoch_accuracy").GetDouble());
        var sub = summary.GetProperty("subnet");
        long total = sub.GetProperty("masked_weights").GetInt64();
        Assert.Equal(266_200, total);

        // ⌊(1 − 0.2)·n⌋ pruned per layer: 235,200 → 47,040, 30,000 → 6,000, 1,000 → 200 kept.
        Assert.Equal(47_040 + 6_000 + 200, sub.GetProperty("kept_weights").GetInt64());
        var bits = sub.GetProperty("size_bits");
        Assert.Equal(53_240 + (3 * 32), bits.GetProperty("weights").GetInt64());
        Assert.Equal(266_200, bits.GetProperty("mask").GetInt64());
        Assert.Equal(32L * 266_200, bits.GetProperty("dense_fp32").GetInt64());
        Assert.True(sub.GetProperty("ticket_file_bytes").GetInt64() < 50_000);
        Assert.All(sub.GetProperty("layers").EnumerateArray(), l => Assert.True(l.GetProperty("alpha").GetDouble() > 0));

        // The checkpoint keeps the frozen weights and the scores; eval of the run directory uses the ticket.
        var ckpt = Checkpoint.Load(Path.Combine(dir, "checkpoint.safetensors"));
        Assert.Equal("biprop", ckpt.Metadata["subnet"]);
        Assert.Equal(3, ckpt.Extras.Count(kv => kv.Key.StartsWith("scores.", StringComparison.Ordinal)));
        var (_, evalOut, _) = Ok("eval", dir, "--data", Data);
        string last = (summary.GetProperty("last_epoch_accuracy").GetDouble() * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"accuracy {last}%", evalOut);
        Assert.Contains("biprop ticket", evalOut);
        Assert.Equal("fc", CompactTicket.Load(Path.Combine(dir, "ticket.wntk")).Header.Model);
    }

    [Fact]
    public void EdgePopupAndBinaryActivationsAndGlobalRun()
    {
        Ok(Args("subnet", "ep", "--model", "fc", "--method", "edge-popup", "--keep", "0.5", "--init", "signed-constant", "--scale-fan", "off"));
        Assert.Equal("edge-popup", Json(Path.Combine(Dir("ep"), "summary.json")).GetProperty("subnet").GetProperty("method").GetString());

        var (_, output, _) = Ok(Args("subnet", "b11", "--model", "fc", "--binary-activations", null, "--optimizer", "adam", "--lr", "0.1", "--width", "0.5"));
        Assert.Contains("biprop MPT-1/1 subnetwork of a random fc-binact (width ×0.5)", output);
        Assert.Equal("fc-binact", Json(Path.Combine(Dir("b11"), "config.json")).GetProperty("model").GetString());

        Ok(Args("subnet", "glob", "--model", "fc", "--global", null, "--keep", "0.1"));
        var g = Json(Path.Combine(Dir("glob"), "summary.json")).GetProperty("subnet");
        Assert.True(g.GetProperty("global").GetBoolean());

        // The ramp starts at keep 0.5 and reaches 0.1 only at epoch 10, so after one epoch about half is kept.
        Assert.InRange(g.GetProperty("kept_fraction").GetDouble(), 0.4, 0.55);
    }

    [Fact]
    public void TuneBatchNormKeepsTheScoresAndTrainsOnlyBatchNorm()
    {
        // Same seed, so both runs start from the same scores: lr 0 leaves everything where it started.
        string[] common = ["--model", "fc", "--binary-activations", null!, "--width", "0.5", "--weight-decay", "0"];
        var (_, output, _) = Ok(Args("subnet", "tune", [.. common, "--tune-batchnorm", null]));
        Assert.Contains("BN γ/β only (scores frozen)", output);
        Ok(Args("subnet", "still", [.. common, "--learn-batchnorm", null, "--lr", "0"]));
        var sub = Json(Path.Combine(Dir("tune"), "summary.json")).GetProperty("subnet");
        Assert.True(sub.GetProperty("tune_batchnorm").GetBoolean());
        Assert.Equal("BN γ/β only (scores frozen)", sub.GetProperty("trained").GetString());

        var tuned = Checkpoint.Load(Path.Combine(Dir("tune"), "checkpoint.safetensors"));
        var still = Checkpoint.Load(Path.Combine(Dir("still"), "checkpoint.safetensors"));
        foreach (var name in new[] { "scores.fc1.weight", "scores.fc2.weight", "scores.fc3.weight" })
        {
            Assert.Equal(still.Extras[name].Data.ToArray(), tuned.Extras[name].Data.ToArray());
        }

        Assert.NotEqual(still.Model["bn1.weight"].Data.ToArray(), tuned.Model["bn1.weight"].Data.ToArray());
        Assert.NotEqual(still.Model["bn1.bias"].Data.ToArray(), tuned.Model["bn1.bias"].Data.ToArray());

        // --bn-bias-only: β moves, γ stays 1, and the scores are trained.
        Ok(Args("subnet", "bias", [.. common, "--bn-bias-only", null]));
        var bias = Checkpoint.Load(Path.Combine(Dir("bias"), "checkpoint.safetensors"));
        Assert.All(bias.Model["bn1.weight"].Data.ToArray(), g => Assert.Equal(1f, g));
        Assert.NotEqual(still.Model["bn1.bias"].Data.ToArray(), bias.Model["bn1.bias"].Data.ToArray());
        Assert.NotEqual(still.Extras["scores.fc1.weight"].Data.ToArray(), bias.Extras["scores.fc1.weight"].Data.ToArray());
        Assert.Equal("scores + BN β", Json(Path.Combine(Dir("bias"), "summary.json")).GetProperty("subnet").GetProperty("trained").GetString());

        // Tuning BN of a found subnetwork: a non-affine search seeds an affine --tune-batchnorm run with another seed.
        Ok(Args("subnet", "found", "--model", "fc", "--binary-activations", null, "--width", "0.5"));
        Ok(Args("subnet", "tuned", "--model", "fc", "--binary-activations", null, "--width", "0.5", "--tune-batchnorm", null, "--scores-from", Dir("found"), "--seed", "9"));
        var found = Checkpoint.Load(Path.Combine(Dir("found"), "checkpoint.safetensors"));
        var retuned = Checkpoint.Load(Path.Combine(Dir("tuned"), "checkpoint.safetensors"));
        Assert.Equal(found.Extras["scores.fc2.weight"].Data.ToArray(), retuned.Extras["scores.fc2.weight"].Data.ToArray());
        Assert.Equal(found.Model["fc2.weight"].Data.ToArray(), retuned.Model["fc2.weight"].Data.ToArray());
        Assert.Contains(retuned.Model["bn1.weight"].Data.ToArray(), g => g != 1f);
        Fails(Args("subnet", "bad", "--model", "fc", "--scores-from", Dir("found")), "--scores-from", "holds a fc-binact subnetwork but this run builds a fc");
    }

    [Fact]
    public void InfoOnASubnetRunShowsSizeAndBitOpsApartFromFlops()
    {
        // fc-binact width 0.5 on 28×28: fc1 784→150 (117,600 weights), fc2 150→50 (7,500), fc3 50→10 (500), one MAC each;
        // keep 0.5 keeps 58,800 + 3,750 + 250. fc1 sees the real image: 2·58,800 FLOPs; fc2 and fc3 see signs: 3,750 + 250 bit-ops.
        Ok(Args("subnet", "b11", "--model", "fc", "--binary-activations", null, "--width", "0.5", "--optimizer", "adam", "--lr", "0.1"));
        var ops = Json(Path.Combine(Dir("b11"), "summary.json")).GetProperty("subnet").GetProperty("ops_per_image");
        Assert.Equal(117_600, ops.GetProperty("flops").GetInt64());
        Assert.Equal(4_000, ops.GetProperty("bit_ops").GetInt64());
        Assert.Equal(2 * 125_600, ops.GetProperty("dense_flops").GetInt64());
        Assert.Equal([false, true, true], ops.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("binary_input").GetBoolean()).ToArray());
        Assert.Contains("bit-ops", File.ReadAllText(Path.Combine(Dir("b11"), "subnet.txt")));

        foreach (var target in new[] { Dir("b11"), Path.Combine(Dir("b11"), "ticket.wntk") })
        {
            var (_, info, _) = Ok("info", target);
            Assert.Contains("biprop MPT-1/1 (±α weights, sign activations) ticket of a random fc-binact (width ×0.5) for 1×28×28 inputs, 10 classes", info);
            Assert.Contains("keep 0.5 per layer", info);
            Assert.Contains("fc2.weight", info);
            Assert.Contains("total                             125,600       62,800   50.00%", info);
            Assert.Contains("vs fp32", info);
            Assert.Contains("ops per image: 117,600 FLOPs + 4,000 bit-ops (XNOR-popcount) = 117,662.5 OPs at bit-ops/64 vs dense fp32 251,200 FLOPs: 2.1× fewer", info);
        }

        // MPT-1/32: real activations, so every kept weight costs FLOPs.
        Ok(Args("subnet", "b32", "--model", "fc", "--width", "0.5", "--epochs", "1"));
        var (_, info32, _) = Ok("info", Dir("b32"));
        Assert.Contains("biprop MPT-1/32 (±α weights, real activations) ticket of a random fc", info32);
        Assert.Contains("ops per image: 125,600 FLOPs + 0 bit-ops", info32);
        Fails(["info", Dir("b32"), "--compare", Dir("b11")], "--compare", "ticket");
    }

    [Fact]
    public void BadInputGetsActionableMessages()
    {
        Fails(Args("subnet", "bad", "--model", "fc", "--method", "edgepopup"), "--method 'edgepopup'", "edge-popup");
        Fails(Args("subnet", "bad", "--model", "fc", "--keep", "0"), "--keep", "(0, 1]");
        Fails(Args("subnet", "bad", "--model", "fc", "--keep", "1"), "--scale-fan off");
        Fails(Args("subnet", "bad", "--model", "fc", "--init", "kaiming"), "--init 'kaiming'", "kaiming-normal");
        Fails(Args("subnet", "bad", "--model", "lenet5", "--binary-activations", null), "no BinAct variant", "conv2");
        Fails(Args("subnet", "bad", "--model", "fc", "--width", "0"), "--width");
        Fails(Args("subnet", "bad", "--model", "fc", "--tune-batchnorm", null), "--tune-batchnorm", "model 'fc' has no batch norm", "--binary-activations");
        Fails(Args("subnet", "bad", "--model", "conv2", "--bn-bias-only", null), "--bn-bias-only", "model 'conv2' has no batch norm");
        Fails(Args("subnet", "bad", "--model", "fc", "--binary-activations", null, "--learn-batchnorm", null, "--bn-bias-only", null), "--learn-batchnorm", "--bn-bias-only", "pass one of them");
    }
}
