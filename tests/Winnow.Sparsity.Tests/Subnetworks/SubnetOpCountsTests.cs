using Winnow.NN;
using Winnow.NN.Models;
using Winnow.Sparsity.Subnetworks;
using Winnow.Testing;

namespace Winnow.Sparsity.Tests.Subnetworks;

public sealed class SubnetOpCountsTests
{
    private static SubnetOpCounts Count(string model, ModelSpec spec, SubnetMethod method, double keep = 0.5)
    {
        var subnet = Subnetwork.Attach(ModelZoo.Create(model, spec), new SubnetOptions { Method = method, KeepFraction = keep, Seed = 4 });
        return SubnetOpCounts.Measure(subnet, spec.InChannels, spec.InputSize);
    }

    [Fact]
    public void Mpt11FcCountsBitOpsAfterTheFirstLayerAndFlopsOnTheImage()
    {
        // fc-binact on 1×6×6 with width 0.1: fc1 36→30 (1,080 weights), fc2 30→10 (300), fc3 10→4 (40); one MAC per weight.
        // keep 0.5: kept = n − ⌊0.5·n⌋ = 540, 150, 20.
        var c = Count("fc-binact", new ModelSpec(1, 6, 4, new Rng(1)) { WidthMultiplier = 0.1 }, SubnetMethod.Biprop);
        Assert.Equal(["fc1.weight", "fc2.weight", "fc3.weight"], c.Layers.Select(l => l.Name).ToArray());
        Assert.Equal([false, true, true], c.Layers.Select(l => l.BinaryInput).ToArray());
        Assert.Equal([1080L, 300, 40], c.Layers.Select(l => l.DenseMacs).ToArray());
        Assert.Equal(2 * 540, c.Flops); // the first layer multiplies real pixels by ±α
        Assert.Equal(150 + 20, c.BitOps); // fc2 and the logits layer: sign inputs × ±α weights
        Assert.Equal(2 * (1080 + 300 + 40), c.DenseFlops);
        Assert.Equal(1080 + (170 / 64.0), c.Ops, 9);
    }

    [Fact]
    public void Mpt132AndEdgePopupCountOnlyFlopsOfTheKeptWeights()
    {
        var spec = new ModelSpec(1, 6, 4, new Rng(1)) { WidthMultiplier = 0.1 };

        // fc (MPT-1/32: real activations) keep 0.2: kept = n − ⌊0.8·n⌋ = 216, 60, 8.
        var mpt132 = Count("fc", spec, SubnetMethod.Biprop, 0.2);
        Assert.All(mpt132.Layers, l => Assert.False(l.BinaryInput));
        Assert.All(mpt132.Layers, l => Assert.True(l.BinaryWeights));
        Assert.Equal(2 * (216 + 60 + 8), mpt132.Flops);
        Assert.Equal(0, mpt132.BitOps);

        // edge-popup on the BinAct model: sign inputs but real weights, so still FLOPs.
        var ep = Count("fc-binact", spec, SubnetMethod.EdgePopup);
        Assert.Equal([false, true, true], ep.Layers.Select(l => l.BinaryInput).ToArray());
        Assert.All(ep.Layers, l => Assert.False(l.BinaryWeights));
        Assert.Equal(2 * (540 + 150 + 20), ep.Flops);
        Assert.Equal(0, ep.BitOps);
    }

    [Fact]
    public void ConvBinActCountsConvPositionsAndPooledSignInputs()
    {
        // conv2-binact on 1×8×8, width 0.125: conv 1→8 3×3 pad 1 (72 weights, 64 positions → 4,608 MACs),
        // conv 8→8 (576 weights → 36,864 MACs), MaxPool → 8×4×4 = 128 → lin 128→32 (4,096), 32→32 (1,024), 32→4 (128).
        var c = Count("conv2-binact", new ModelSpec(1, 8, 4, new Rng(1)) { WidthMultiplier = 0.125 }, SubnetMethod.Biprop);
        Assert.Equal([4608L, 36864, 4096, 1024, 128], c.Layers.Select(l => l.DenseMacs).ToArray());
        Assert.Equal([false, true, true, true, true], c.Layers.Select(l => l.BinaryInput).ToArray());

        // keep 0.5: kept = 36, 288, 2048, 512, 64, each half its layer, so kept MACs are half the dense ones.
        Assert.Equal([36, 288, 2048, 512, 64], c.Layers.Select(l => l.Kept).ToArray());
        Assert.Equal(2 * 2304, c.Flops);
        Assert.Equal(18432 + 2048 + 512 + 64, c.BitOps);
    }

    [Fact]
    public void VggSmallBinActClassifierReadsAReluOutputSoItStaysReal()
    {
        var c = Count("vgg-small-binact", new ModelSpec(3, 8, 4, new Rng(1)) { WidthMultiplier = 0.0625 }, SubnetMethod.Biprop);
        Assert.Equal(7, c.Layers.Count);
        Assert.Equal([false, true, true, true, true, true, false], c.Layers.Select(l => l.BinaryInput).ToArray());
        Assert.Equal(2 * (c.Layers[0].KeptMacs + c.Layers[6].KeptMacs), c.Flops);
    }

    [Fact]
    public void TicketCountsEqualTheSearchNetworkCounts()
    {
        var spec = new ModelSpec(1, 8, 4, new Rng(1)) { WidthMultiplier = 0.125, AffineBatchNorm = true };
        var subnet = Subnetwork.Attach(ModelZoo.Create("conv2-binact", spec), new SubnetOptions { KeepFraction = 0.3, LearnBatchNorm = true, Seed = 6 });
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "t.wntk");
        CompactTicket.Save(file, subnet, "conv2-binact", spec);
        var (net, header) = CompactTicket.Load(file);
        Assert.Equal(0.3, header.KeepFraction);
        var fromTicket = SubnetOpCounts.Measure(net, header.Layers.ToDictionary(l => l.Name, l => l.Kept), true, spec.InChannels, spec.InputSize);
        Assert.Equal(SubnetOpCounts.Measure(subnet, spec.InChannels, spec.InputSize).Layers, fromTicket.Layers);
        var (a, b) = (SubnetSizeReport.Measure(subnet), SubnetSizeReport.FromTicket(net, header));
        Assert.Equal(a.Layers, b.Layers);
        Assert.Equal((a.TotalBits, a.BatchNormBits, a.OtherBits, a.DenseFp32Bits), (b.TotalBits, b.BatchNormBits, b.OtherBits, b.DenseFp32Bits));
    }
}
