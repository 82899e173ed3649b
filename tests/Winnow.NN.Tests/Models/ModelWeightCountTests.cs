using Winnow.NN.Layers;
using Winnow.NN.Models;

namespace Winnow.NN.Tests.Models;

/// <summary>Weight counts against the numbers ALGORITHMS.md gives (§1.10, §2.9, §3.10), on the papers' inputs.</summary>
public sealed class ModelWeightCountTests
{
    public static TheoryData<string, int, int, long> MaskableWeights => new()
    {
        // §2.9 (Sparse Momentum): conv + linear weights, biases and BN excluded.
        { "lenet300", 1, 28, 266_200 },
        { "lenet5", 1, 28, 430_500 },
        { "vgg-d", 3, 32, 15_239_872 },
        { "vgg-c", 3, 32, 11_307_712 },
        { "vgg-like", 3, 32, 14_977_728 },
        { "wrn-16-8", 3, 32, 10_954_160 },
        { "wrn-28-2", 3, 32, 1_463_984 },

        // §3.10 (edge-popup/biprop Conv-N): the same weight tensors, there without biases.
        { "conv2", 3, 32, 4_300_992 },
        { "conv4", 3, 32, 2_425_024 },
        { "conv6", 3, 32, 2_261_184 },
        { "conv8", 3, 32, 5_275_840 },

        // §3.10 biprop models (bias-free; BN excluded).
        { "fc", 1, 28, 266_200 },
        { "fc-binact", 1, 28, 266_200 },
        { "conv2-binact", 3, 32, 4_300_992 },
        { "conv4-binact", 3, 32, 2_425_024 },
        { "conv6-binact", 3, 32, 2_261_184 },
        { "conv8-binact", 3, 32, 5_275_840 },
        { "vgg-small", 3, 32, 4_656_512 },
        { "vgg-small-binact", 3, 32, 4_656_512 },
        { "wide-vgg-small", 3, 32, 7_249_120 },
        { "resnet18", 3, 32, 11_164_352 },
    };

    [Theory]
    [MemberData(nameof(MaskableWeights))]
    public void ConvAndLinearWeightsMatchTheReference(string name, int channels, int size, long expected)
    {
        Assert.Equal(channels, ModelZoo.Get(name).InChannels);
        Assert.Equal(size, ModelZoo.Get(name).InputSize);
        Assert.Equal(expected, ConvLinearWeights(ZooCache.Default(name)));
    }

    [Fact]
    public void LeNetBiasCountsMatchTheReference()
    {
        // §2.9: LeNet-300-100 410 biases, LeNet-5-Caffe 580, and nothing else.
        Assert.Equal(266_200 + 410, ZooCache.Default("lenet300").ParameterCount());
        Assert.Equal(430_500 + 580, ZooCache.Default("lenet5").ParameterCount());
    }

    [Fact]
    public void ResNet20MatchesTheContinuousSparsificationReference()
    {
        // §1.10: masked 3×3 convs 267,696; plain 1×1 shortcut convs 2,560; classifier 650 (weight + bias).
        var model = ZooCache.Default("resnet20");
        var convs = model.NamedModules().Select(kv => kv.Value).OfType<Conv2d>().ToList();
        Assert.Equal(19, convs.Count(c => c.KernelSize == 3));
        Assert.Equal(267_696, convs.Where(c => c.KernelSize == 3).Sum(c => (long)c.Weight.Length));
        Assert.Equal(2_560, convs.Where(c => c.KernelSize == 1).Sum(c => (long)c.Weight.Length));
        Assert.All(convs, c => Assert.Null(c.Bias));
        Assert.All(convs.Where(c => c.KernelSize == 1), c => Assert.Equal(2, c.Stride));
        Assert.Equal(650, model.NamedParameters().Where(kv => kv.Key.StartsWith("fc.", StringComparison.Ordinal)).Sum(kv => kv.Value.Length));

        // No BatchNorm on the shortcuts: the only BNs are the stem's and two per block.
        Assert.Equal(1 + 2 * 9, model.NamedModules().Count(kv => kv.Value is BatchNorm2d));
        Assert.DoesNotContain(model.NamedParameters(), kv => kv.Key.Contains("shortcut.1", StringComparison.Ordinal));
    }

    [Fact]
    public void Vgg16IsTheStandardCifarForm()
    {
        var model = ZooCache.Default("vgg16");

        // 13 convs with bias + BN, one Linear(512→10): 14,728,266 parameters (the well-known 14.73M).
        Assert.Equal(14_710_464 + 5_120, ConvLinearWeights(model));
        Assert.Equal(14_728_266, model.ParameterCount());
        Assert.Equal(13, model.NamedModules().Count(kv => kv.Value is BatchNorm2d));
        Assert.Equal([10, 512], model.NamedParameters().Single(kv => kv.Key == "classifier.weight").Value.Shape.ToArray());
    }

    [Fact]
    public void SubnetModelsReproduceTheReferenceLayouts()
    {
        // FC and every biprop model are bias-free; BN is non-affine by default.
        foreach (var name in new[] { "fc", "conv2-binact", "vgg-small", "vgg-small-binact", "wide-vgg-small", "resnet18" })
        {
            var m = ZooCache.Default(name);
            Assert.DoesNotContain(m.NamedParameters(), kv => kv.Key.EndsWith(".bias", StringComparison.Ordinal));
            Assert.All(m.NamedModules().Select(kv => kv.Value).OfType<BatchNorm>(), b => Assert.Null(b.Weight));
        }

        // VGG_Small quirk: only two ReLUs (after conv 1 and before the classifier), no sign activations.
        var vgg = ZooCache.Default("vgg-small");
        Assert.Equal(2, vgg.NamedModules().Count(kv => kv.Value is ReLU));
        Assert.Equal(0, vgg.NamedModules().Count(kv => kv.Value is BiRealAct));
        Assert.Equal(5, ZooCache.Default("vgg-small-binact").NamedModules().Count(kv => kv.Value is BiRealAct));
        Assert.Equal(3, ZooCache.Default("vgg-small-binact").NamedModules().Count(kv => kv.Value is BatchNorm2d));
        Assert.Equal(6, ZooCache.Default("wide-vgg-small").NamedModules().Count(kv => kv.Value is BatchNorm2d));

        // Conv-N_BinAct pairs: conv BN sign, conv MaxPool BN sign (pool before BN).
        var kinds = ZooCache.Default("conv2-binact").NamedModules().Where(kv => kv.Key.StartsWith("features.", StringComparison.Ordinal)).Select(kv => kv.Value.GetType().Name).ToArray();
        Assert.Equal(["Conv2d", "BatchNorm2d", "BiRealAct", "Conv2d", "MaxPool2d", "BatchNorm2d", "BiRealAct"], kinds);

        // Width multiplier and Fashion-MNIST inputs.
        var wide = ModelZoo.Create("fc", new ModelSpec(1, 28, 10, new Rng(1)) { WidthMultiplier = 2 });
        Assert.Equal((784 * 600) + (600 * 200) + (200 * 10), ConvLinearWeights(wide));
        var x = new Tensor(2, 1, 28, 28);
        foreach (var name in new[] { "conv2-binact", "vgg-small", "resnet18" })
        {
            var m = ModelZoo.Create(name, new ModelSpec(1, 28, 10, new Rng(1)) { WidthMultiplier = 0.125 });
            Assert.Equal([2, 10], m.Forward(x).Shape.ToArray());
        }
    }

    internal static long ConvLinearWeights(Module model) => model.NamedModules().Sum(kv => kv.Value switch
    {
        Conv2d c => (long)c.Weight.Length,
        Linear l => l.Weight.Length,
        _ => 0L,
    });
}
