using Winnow.NN.Layers;
using Winnow.Testing;

namespace Winnow.NN.Tests.Layers;

public sealed class LayerTests
{
    [Fact]
    public void LinearDefaultInitIsWithinOneOverSqrtFanIn()
    {
        var layer = new Linear(100, 50, new Rng(3));
        Assert.All(layer.Weight.ToArray(), v => Assert.InRange(v, -0.1f, 0.1f));
        Assert.All(layer.Bias!.ToArray(), v => Assert.InRange(v, -0.1f, 0.1f));
        Assert.True(layer.Weight.RequiresGrad);
    }

    [Fact]
    public void BatchNormUsesBatchStatsInTrainingAndRunningStatsInEval()
    {
        var bn = new BatchNorm1d(1);
        var x = Tensor.FromArray([1, 2, 3, 4], 4, 1);
        var yTrain = bn.Forward(x);
        Assert.Equal(0f, yTrain.ToArray().Sum(), 5);
        Assert.Equal(0.25f, bn.RunningMean!.Data[0], 6);
        Assert.Equal(1f, bn.NumBatchesTracked!.Data[0]);
        bn.Eval();
        var yEval = bn.Forward(x);
        float expected0 = (1f - 0.25f) / MathF.Sqrt(bn.RunningVar!.Data[0] + 1e-5f);
        Assert.Equal(expected0, yEval.Data[0], 5);
        Assert.Equal(1f, bn.NumBatchesTracked!.Data[0]);
    }

    [Fact]
    public void BatchNormRejectsTheWrongRank()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(new Tensor(2, 3)));
        Assert.Contains("BatchNorm2d", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
    }

    [Fact]
    public void ResidualBlockGradients()
    {
        var block = new BasicBlock(2, 3, 2, new Rng(4));
        var x = Tensor.Uniform(new Rng(5), -1f, 1f, 2, 2, 6, 6).RequireGrad();
        // BN in training mode couples the batch; check the input gradient and one conv weight.
        var w = block.NamedParameters().First(kv => kv.Key == "conv2.weight").Value;
        GradCheck.Check(() => block.Forward(x), [x, w], eps: 5e-3f, atol: 1e-2f, rtol: 5e-2f, maxElementsPerInput: 24);
    }

    [Fact]
    public void LayerArgumentsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(0, 3, new Rng(1)));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(3, 8, 3, new Rng(1), stride: 0));
        Assert.Contains("stride=0", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5f, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(4, momentum: 2f));
    }
}
