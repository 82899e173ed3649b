using Winnow.Testing;

namespace Winnow.Core.Tests.Operations;

public sealed class BasicOpGradTests
{
    private static Tensor Rand(ulong seed, params int[] shape) => Tensor.Uniform(new Rng(seed), -1f, 1f, shape).RequireGrad();

    [Fact]
    public void AddMulScaleGradients()
    {
        var a = Rand(1, 3, 4);
        var b = Rand(2, 3, 4);
        GradCheck.Check(() => Ops.Add(Ops.Mul(a, b), Ops.Scale(a, -2f)), [a, b]);
    }

    [Fact]
    public void SumAndMeanGradients()
    {
        var a = Rand(3, 5, 2);
        GradCheck.Check(() => Ops.Add(Ops.Scale(a, 0f), Ops.Scale(a, 1f)), [a]);
        GradCheck.Check(() => Ops.Mean(Ops.Mul(a, a)), [a]);
        GradCheck.Check(() => Ops.Sum(Ops.Mul(a, a)), [a]);
    }

    [Fact]
    public void ReshapeGradientFlowsToTheSource()
    {
        var a = Rand(4, 2, 6);
        var b = Rand(5, 3, 4);
        GradCheck.Check(() => Ops.Mul(a.Reshape(3, 4), b), [a, b]);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(17, 4, 9)]
    public void MatMulGradients(int m, int k, int n)
    {
        var a = Rand(6, m, k);
        var b = Rand(7, k, n);
        GradCheck.Check(() => Ops.MatMul(a, b), [a, b]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LinearGradients(bool bias)
    {
        var x = Rand(8, 5, 7);
        var w = Rand(9, 3, 7);
        var b = bias ? Rand(10, 3) : null;
        GradCheck.Check(() => Ops.Linear(x, w, b), b is null ? [x, w] : [x, w, b]);
    }

    [Fact]
    public void LinearMatchesTheDefinition()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var w = Tensor.FromArray([1, 0, -1, 0.5f, 0.5f, 0.5f], 2, 3);
        var b = Tensor.FromArray([10, 20], 2);
        Assert.Equal([8f, 23f, 8f, 27.5f], Ops.Linear(x, w, b).ToArray());
    }

    [Fact]
    public void ShapeErrorsNameTheOpAndTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.MatMul(new Tensor(2, 3), new Tensor(4, 5)));
        Assert.Contains("Ops.MatMul", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 5]", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Ops.Linear(new Tensor(2, 3), new Tensor(4, 5), null));
        Assert.Contains("Ops.Linear", ex2.Message);
        var ex3 = Assert.Throws<ArgumentException>(() => Ops.Add(new Tensor(2), new Tensor(3)));
        Assert.Contains("[2]", ex3.Message);
    }
}
