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
    public void BadInputGetsActionableMessages()
    {
        Fails(Args("subnet", "bad", "--model", "fc", "--method", "edgepopup"), "--method 'edgepopup'", "edge-popup");
        Fails(Args("subnet", "bad", "--model", "fc", "--keep", "0"), "--keep", "(0, 1]");
        Fails(Args("subnet", "bad", "--model", "fc", "--keep", "1"), "--scale-fan off");
        Fails(Args("subnet", "bad", "--model", "fc", "--init", "kaiming"), "--init 'kaiming'", "kaiming-normal");
        Fails(Args("subnet", "bad", "--model", "lenet5", "--binary-activations", null), "no BinAct variant", "conv2");
        Fails(Args("subnet", "bad", "--model", "fc", "--width", "0"), "--width");
    }
}
