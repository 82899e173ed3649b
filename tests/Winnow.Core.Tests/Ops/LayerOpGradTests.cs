using Winnow.Testing;

namespace Winnow.Core.Tests.Operations;

public sealed class LayerOpGradTests
{
    private static Tensor Rand(ulong seed, params int[] shape) => Tensor.Uniform(new Rng(seed), -1f, 1f, shape).RequireGrad();

    [Theory]
    [InlineData(1, 1, 5, 5, 2, 3, 1, 0, true)]
    [InlineData(2, 3, 7, 6, 4, 3, 2, 1, false)]
    [InlineData(2, 2, 4, 4, 3, 1, 1, 0, true)]
    [InlineData(1, 2, 6, 5, 2, 5, 1, 2, true)]
    public void Conv2dGradients(int n, int c, int h, int w, int o, int k, int stride, int pad, bool bias)
    {
        var x = Rand(1, n, c, h, w);
        var wt = Rand(2, o, c, k, k);
        var b = bias ? Rand(3, o) : null;
        GradCheck.Check(() => Ops.Conv2d(x, wt, b, stride, pad), b is null ? [x, wt] : [x, wt, b]);
    }

    [Fact]
    public void Conv2dGradientAccumulatesIntoExistingGradients()
    {
        var x = Rand(4, 2, 2, 5, 5);
        var wt = Rand(5, 3, 2, 3, 3);
        var b = Rand(6, 3);
        Ops.Sum(Ops.Conv2d(x, wt, b, 1, 1)).Backward();
        var once = (x.Grad!.ToArray(), wt.Grad!.ToArray(), b.Grad!.ToArray());
        Ops.Sum(Ops.Conv2d(x, wt, b, 1, 1)).Backward();
        TensorAssert.Close(once.Item1.Select(v => 2 * v).ToArray(), x.Grad!.Data, 1e-5f, 1e-5f, "dx");
        TensorAssert.Close(once.Item2.Select(v => 2 * v).ToArray(), wt.Grad!.Data, 1e-5f, 1e-5f, "dw");
        TensorAssert.Close(once.Item3.Select(v => 2 * v).ToArray(), b.Grad!.Data, 1e-5f, 1e-5f, "db");
    }

    [Fact]
    public void Conv2dChannelMismatchNamesShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.Conv2d(new Tensor(1, 3, 8, 8), new Tensor(4, 2, 3, 3), null));
        Assert.Contains("[1, 3, 8, 8]", ex.Message);
        Assert.Contains("[4, 2, 3, 3]", ex.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNorm2dTrainingGradients(bool affine)
    {
        var x = Rand(7, 3, 2, 3, 3);
        var g = affine ? Tensor.Uniform(new Rng(8), 0.5f, 1.5f, 2).RequireGrad() : null;
        var b = affine ? Rand(9, 2) : null;
        GradCheck.Check(() => Ops.BatchNorm(x, g, b, null, null, training: true), affine ? [x, g!, b!] : [x], eps: 1e-2f, atol: 5e-3f, rtol: 3e-2f);
    }

    [Fact]
    public void BatchNorm1dTrainingAndEvalGradients()
    {
        var x = Rand(10, 5, 4);
        var g = Tensor.Uniform(new Rng(11), 0.5f, 1.5f, 4).RequireGrad();
        var b = Rand(12, 4);
        GradCheck.Check(() => Ops.BatchNorm(x, g, b, null, null, training: true), [x, g, b], atol: 5e-3f, rtol: 3e-2f);
        var rm = Tensor.FromArray([0.1f, -0.2f, 0.3f, 0f], 4);
        var rv = Tensor.FromArray([1.5f, 0.5f, 2f, 1f], 4);
        GradCheck.Check(() => Ops.BatchNorm(x, g, b, rm, rv, training: false), [x, g, b]);
    }

    [Fact]
    public void BatchNormTrainingUpdatesRunningStatsLikePyTorch()
    {
        // One channel, values 1..4: mean 2.5, unbiased variance 5/3.
        var x = Tensor.FromArray([1, 2, 3, 4], 4, 1);
        var rm = new Tensor(1);
        var rv = Tensor.FromArray([1f], 1);
        var y = Ops.BatchNorm(x, null, null, rm, rv, training: true);
        Assert.Equal(0.25f, rm.Data[0], 6);
        Assert.Equal(0.9f + 0.1f * 5f / 3f, rv.Data[0], 6);
        float invStd = 1f / MathF.Sqrt(1.25f + 1e-5f);
        TensorAssert.Close([-1.5f * invStd, -0.5f * invStd, 0.5f * invStd, 1.5f * invStd], y.Data, 1e-6f, 1e-5f);
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 0)]
    public void MaxPoolGradients(int k, int stride, int pad)
    {
        // Distinct, well-separated values keep every window's maximum away from ties.
        var x = Tensor.FromArray(Enumerable.Range(0, 2 * 2 * 5 * 5).Select(i => (float)((i * 37) % 100) / 10f).ToArray(), 2, 2, 5, 5).RequireGrad();
        GradCheck.Check(() => Ops.MaxPool2d(x, k, stride, pad), [x], eps: 1e-2f);
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    public void AvgPoolAndGlobalPoolGradients(int k, int stride, int pad)
    {
        var x = Rand(13, 2, 3, 5, 5);
        GradCheck.Check(() => Ops.AvgPool2d(x, k, stride, pad), [x]);
        GradCheck.Check(() => Ops.GlobalAvgPool2d(x), [x]);
    }

    [Fact]
    public void ActivationGradients()
    {
        // Keep ReLU inputs away from the kink at 0.
        var x = Tensor.FromArray([-0.9f, -0.4f, 0.3f, 0.8f, 1.2f, -1.5f], 2, 3).RequireGrad();
        GradCheck.Check(() => Ops.Relu(x), [x]);
        GradCheck.Check(() => Ops.Sigmoid(x), [x]);
    }

    [Fact]
    public void SignUsesTheChosenSurrogate()
    {
        var x = Tensor.FromArray([-2f, -0.5f, 0f, 0.25f, 3f], 5).RequireGrad();
        Assert.Equal([-1f, -1f, 0f, 1f, 1f], Ops.Sign(x).ToArray());
        Ops.Sum(Ops.Sign(x, SignSurrogate.BiReal)).Backward();
        Assert.Equal([0f, 1f, 2f, 1.5f, 0f], x.Grad!.ToArray());
        x.ZeroGrad();
        Ops.Sum(Ops.Sign(x, SignSurrogate.Clipped)).Backward();
        Assert.Equal([0f, 1f, 1f, 1f, 0f], x.Grad!.ToArray());
        x.ZeroGrad();
        Ops.Sum(Ops.Sign(x)).Backward();
        Assert.Equal([1f, 1f, 1f, 1f, 1f], x.Grad!.ToArray());
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void CrossEntropyGradients(float smoothing)
    {
        var logits = Rand(14, 4, 5);
        int[] labels = [0, 4, 2, 2];
        GradCheck.Check(() => Ops.CrossEntropy(logits, labels, smoothing), [logits]);
    }

    [Fact]
    public void LogSoftmaxNllEqualsCrossEntropy()
    {
        var logits = Rand(15, 3, 4);
        int[] labels = [1, 3, 0];
        float ce = Ops.CrossEntropy(logits, labels).Item();
        float nll = Ops.NllLoss(Ops.LogSoftmax(logits), labels).Item();
        Assert.Equal(ce, nll, 5);
        GradCheck.Check(() => Ops.NllLoss(Ops.LogSoftmax(logits), labels), [logits]);
    }

    [Fact]
    public void CrossEntropyRejectsOutOfRangeLabels()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Ops.CrossEntropy(new Tensor(2, 3), new[] { 0, 7 }));
        Assert.Contains("7", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Ops.CrossEntropy(new Tensor(2, 3), new[] { 0 }));
        Assert.Contains("one label per row", ex2.Message);
    }

    [Fact]
    public void DropoutScalesSurvivorsAndRoutesGradientThroughTheSameMask()
    {
        var x = Tensor.Full(1f, 1000).RequireGrad();
        var y = Ops.Dropout(x, 0.25f, training: true, new Rng(3));
        var kept = y.ToArray().Count(v => v != 0f);
        Assert.All(y.ToArray(), v => Assert.True(v == 0f || Math.Abs(v - 4f / 3f) < 1e-6f));
        Assert.InRange(kept, 700, 800);
        Ops.Sum(y).Backward();
        Assert.Equal(y.ToArray(), x.Grad!.ToArray());
        Assert.Same(x, Ops.Dropout(x, 0.25f, training: false, new Rng(3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Dropout(x, 1f, true, new Rng(1)));
    }
}
