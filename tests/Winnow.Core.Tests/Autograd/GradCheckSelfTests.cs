using Winnow.Autograd;
using Winnow.Testing;
using Xunit.Sdk;

namespace Winnow.Core.Tests.Autograd;

public sealed class GradCheckSelfTests
{
    // Squares its input but claims the gradient is x instead of 2x.
    private sealed class WrongSquare : CustomOp
    {
        protected override Tensor Forward(IReadOnlyList<Tensor> inputs) => Ops.Mul(inputs[0], inputs[0]);

        protected override Tensor?[] Backward(IReadOnlyList<Tensor> inputs, Tensor output, Tensor gradOutput)
            => [Ops.Mul(gradOutput, inputs[0])];
    }

    [Fact]
    public void GradCheckCatchesAWrongBackward()
    {
        var x = Tensor.Uniform(new Rng(1), 0.5f, 1f, 6).RequireGrad();
        var ex = Assert.Throws<XunitException>(() => GradCheck.Check(() => new WrongSquare().Apply(x), [x]));
        Assert.Contains("Gradient mismatch", ex.Message);
    }
}
