using Winnow.Autograd;

namespace Winnow.Core.Tests.Autograd;

public sealed class AutogradTests
{
    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroGrad()
    {
        var x = Tensor.FromArray([1f, 2f], 2).RequireGrad();
        Ops.Sum(Ops.Scale(x, 3f)).Backward();
        Ops.Sum(Ops.Scale(x, 3f)).Backward();
        Assert.Equal([6f, 6f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Null(x.Grad);
        Ops.Sum(x).Backward();
        Assert.Equal([1f, 1f], x.Grad!.ToArray());
    }

    [Fact]
    public void ATensorUsedTwiceReceivesBothContributions()
    {
        // y = x·x + x  ⇒ dy/dx = 2x + 1
        var x = Tensor.FromArray([1.5f, -2f, 0.25f], 3).RequireGrad();
        Ops.Sum(Ops.Add(Ops.Mul(x, x), x)).Backward();
        Assert.Equal([4f, -3f, 1.5f], x.Grad!.ToArray());
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        var x = Tensor.FromArray([1f], 1).RequireGrad();
        Tensor y;
        using (GradMode.NoGrad())
        {
            y = Ops.Scale(x, 2f);
        }

        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("does not require grad", ex.Message);
    }

    [Fact]
    public void InputsThatDoNotRequireGradGetNoGradient()
    {
        var x = Tensor.FromArray([1f, 2f], 1, 2);
        var w = Tensor.FromArray([3f, 4f], 2, 1).RequireGrad();
        Ops.Sum(Ops.MatMul(x, w)).Backward();
        Assert.Null(x.Grad);
        Assert.Equal([1f, 2f], w.Grad!.ToArray());
    }

    [Fact]
    public void IntermediateGradientsAreFreedUnlessRetained()
    {
        var x = Tensor.FromArray([1f, 2f], 2).RequireGrad();
        var a = Ops.Scale(x, 2f);
        var b = Ops.Scale(x, 3f);
        b.RetainsGrad = true;
        Ops.Sum(Ops.Add(a, b)).Backward();
        Assert.Null(a.Grad);
        Assert.Equal([1f, 1f], b.Grad!.ToArray());
    }

    [Fact]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var x = Tensor.FromArray([1f], 1).RequireGrad();
        var y = x;
        for (int i = 0; i < 20_000; i++)
        {
            y = Ops.AddScalar(y, 0f);
        }

        Ops.Sum(y).Backward();
        Assert.Equal(1f, x.Grad!.Data[0]);
    }

    private sealed class StraightThroughSign : CustomOp
    {
        protected override Tensor Forward(IReadOnlyList<Tensor> inputs)
        {
            var y = inputs[0].EmptyLike();
            var x = inputs[0].Data;
            var d = y.Data;
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = MathF.Sign(x[i]);
            }

            return y;
        }

        protected override Tensor?[] Backward(IReadOnlyList<Tensor> inputs, Tensor output, Tensor gradOutput)
            => [Ops.Scale(gradOutput, 1f)];
    }

    [Fact]
    public void CustomOpUsesItsOwnBackward()
    {
        var x = Tensor.FromArray([-0.5f, 0f, 2f], 3).RequireGrad();
        var y = new StraightThroughSign().Apply(x);
        Assert.Equal([-1f, 0f, 1f], y.ToArray());
        Ops.Sum(Ops.Scale(y, 5f)).Backward();
        Assert.Equal([5f, 5f, 5f], x.Grad!.ToArray());
    }

    [Fact]
    public void BackwardInsideAScopeKeepsLeafGradientsAfterwards()
    {
        var w = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2).RequireGrad();
        for (int step = 0; step < 2; step++)
        {
            w.ZeroGrad();
            using var scope = TensorScope.Begin();
            var x = Tensor.Full(1f, 3, 2);
            Ops.Mean(Ops.MatMul(x, w)).Backward();
        }

        // mean over 3·2 outputs of x·w with x = 1: dL/dw = 3/6 everywhere.
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], w.Grad!.ToArray());
    }
}
