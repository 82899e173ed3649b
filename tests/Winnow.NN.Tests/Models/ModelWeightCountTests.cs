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

    internal static long ConvLinearWeights(Module model) => model.NamedModules().Sum(kv => kv.Value switch
    {
        Conv2d c => (long)c.Weight.Length,
        Linear l => l.Weight.Length,
        _ => 0L,
    });
}
