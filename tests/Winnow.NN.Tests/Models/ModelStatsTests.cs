using Winnow.NN.Layers;
using Winnow.NN.Models;

namespace Winnow.NN.Tests.Models;

public sealed class ModelStatsTests
{
    [Fact]
    public void LeNet300MacsEqualItsWeightCount()
    {
        var stats = ModelStats.Measure(ModelZoo.Create("lenet300", new ModelSpec(1, 28, 10, new Rng(1))), 1, 28);
        Assert.Equal(266_200, stats.Macs);
        Assert.Equal(2 * 266_200, stats.Flops);
        Assert.Equal(266_200, stats.Weights);
        Assert.Equal(266_200 + 410, stats.Parameters);
        Assert.Equal(["fc1.weight", "fc2.weight", "fc3.weight"], stats.Layers.Select(l => l.Weight));
        Assert.Equal([784L * 300, 300L * 100, 100L * 10], stats.Layers.Select(l => l.Macs));
    }

    [Fact]
    public void LeNet5MacsFollowTheConvFormula()
    {
        var stats = ModelStats.Measure(new LeNet5Caffe(new Rng(1)), 1, 28);
        long conv1 = 20L * 25 * 24 * 24, conv2 = 50L * 500 * 8 * 8, fc3 = 800L * 500, fc4 = 500L * 10;
        Assert.Equal(conv1 + conv2 + fc3 + fc4, stats.Macs);
        Assert.Equal(2 * stats.Macs, stats.Flops);
        Assert.Equal([("conv1.weight", "Conv2d", conv1), ("conv2.weight", "Conv2d", conv2), ("fc3.weight", "Linear", fc3), ("fc4.weight", "Linear", fc4)],
            stats.Layers.Select(l => (l.Weight, l.Op, l.Macs)));
    }

    [Fact]
    public void ResNet20MacsMatchTheAnalyticCount()
    {
        var model = new ResNetCifar(20, new Rng(1));
        var stats = ModelStats.Measure(model, 3, 32);

        // stem 32²·16·27; stage s (n = 3 blocks, map m, width w): 6 convs of m²·w·9·w_in; shortcuts m²·w·w/2; fc 640.
        long expected = 32L * 32 * 16 * 27
            + 6L * 32 * 32 * 16 * 144
            + 16L * 16 * 32 * 144 + 5L * 16 * 16 * 32 * 288 + 16L * 16 * 32 * 16
            + 8L * 8 * 64 * 288 + 5L * 8 * 8 * 64 * 576 + 8L * 8 * 64 * 32
            + 640;
        Assert.Equal(expected, stats.Macs);
        Assert.Equal(stats.Macs, stats.Layers.Sum(l => l.Macs));
        Assert.Equal(22, stats.Layers.Count);
        Assert.Equal(stats.Layers.Select(l => l.Weight).Distinct().Count(), stats.Layers.Count);
    }

    [Fact]
    public void MeasuringLeavesTheModelAsItWas()
    {
        var model = new Sequential(new Conv2d(1, 2, 3, new Rng(1)), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(2 * 6 * 6, 3, new Rng(2)));
        model.Train();
        ((Module)model[1]).Eval();
        var before = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

        var stats = ModelStats.Measure(model, 1, 8);

        Assert.Equal(2L * 9 * 36 + 72 * 3, stats.Macs);
        Assert.Equal(18 + 72 * 3, stats.Weights);
        Assert.True(model.Training);
        Assert.False(model[1].Training);
        Assert.True(model[4].Training);
        Assert.All(model.StateDict(), kv => Assert.Equal(before[kv.Key], kv.Value.ToArray()));
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }
}
