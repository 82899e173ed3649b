using Winnow.NN;
using Winnow.NN.Optim;
using Winnow.Testing;
using static Winnow.NN.Tests.Optim.OptimTestData;

namespace Winnow.NN.Tests.Optim;

public class SgdTests
{
    [Fact]
    public void PlainStep_IsWeightMinusLrTimesGrad()
    {
        var p = Param("w", 1f, -2f);
        var sgd = new Sgd([p], lr: 0.1);
        Grad(p, 0.5f, 0.25f);
        sgd.Step();

        // w − lr·g = [1 − 0.05, −2 − 0.025]
        TensorAssert.Close([0.95f, -2.025f], p.Data, atol: 1e-7f);
        Assert.Null(sgd.GetMomentumBuffer(p)); // μ = 0 keeps no buffer (PyTorch)
    }

    [Fact]
    public void Momentum_FirstStepBufferIsTheGradientItself()
    {
        var p = Param("w", 1f, -2f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9);
        Grad(p, 0.5f, -0.25f);
        sgd.Step();

        // v1 = d1 = g1 itself (PyTorch clones d; it does not start from 0): w1 = w0 − 0.1·d1
        TensorAssert.Close([0.5f, -0.25f], sgd.GetMomentumBuffer(p)!.Data, atol: 0f, rtol: 0f);
        TensorAssert.Close([0.95f, -1.975f], p.Data, atol: 1e-7f);
    }

    [Fact]
    public void Momentum09_WeightDecay5e4_TwoSteps_MatchesHandValues()
    {
        var p = Param("w", 1f, -2f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9, weightDecay: 5e-4);
        Grad(p, 0.5f, -0.25f);
        sgd.Step();

        // d1 = g1 + 5e-4·w0 = [0.5 + 0.0005, −0.25 − 0.001] = [0.5005, −0.251]; v1 = d1
        // w1 = w0 − 0.1·v1 = [0.94995, −1.9749]
        TensorAssert.Close([0.5005f, -0.251f], sgd.GetMomentumBuffer(p)!.Data, atol: 1e-7f);
        TensorAssert.Close([0.94995f, -1.9749f], p.Data, atol: 1e-7f);

        Grad(p, 0.1f, 0.3f);
        sgd.Step();

        // d2 = g2 + 5e-4·w1 = [0.1 + 0.000474975, 0.3 − 0.00098745] = [0.100474975, 0.29901255]
        // v2 = 0.9·v1 + d2 = [0.45045 + 0.100474975, −0.2259 + 0.29901255] = [0.550924975, 0.07311255]
        // w2 = w1 − 0.1·v2 = [0.94995 − 0.0550924975, −1.9749 − 0.007311255] = [0.8948575025, −1.982211255]
        TensorAssert.Close([0.550924975f, 0.07311255f], sgd.GetMomentumBuffer(p)!.Data, atol: 1e-7f);
        TensorAssert.Close([0.8948575025f, -1.982211255f], p.Data, atol: 1e-7f);
    }

    [Fact]
    public void Nesterov_TwoSteps_MatchesHandValues_AndBufferIsRawV()
    {
        var p = Param("w", 1f, -2f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4);
        Grad(p, 0.5f, -0.25f);
        sgd.Step();

        // d1 = [0.5005, −0.251]; v1 = d1; direction = d1 + 0.9·v1 = 1.9·d1 = [0.95095, −0.4769]
        // w1 = w0 − 0.1·direction = [0.904905, −1.95231]
        TensorAssert.Close([0.904905f, -1.95231f], p.Data, atol: 1e-7f);

        Grad(p, 0.1f, 0.3f);
        sgd.Step();

        // d2 = g2 + 5e-4·w1 = [0.1 + 0.0004524525, 0.3 − 0.000976155] = [0.1004524525, 0.299023845]
        // v2 = 0.9·v1 + d2 = [0.45045 + 0.1004524525, −0.2259 + 0.299023845] = [0.5509024525, 0.073123845]
        // direction = d2 + 0.9·v2 = [0.1004524525 + 0.49581220725, 0.299023845 + 0.0658114605]
        //           = [0.59626465975, 0.3648353055]
        // w2 = w1 − 0.1·direction = [0.845278534025, −1.98879353055]
        TensorAssert.Close([0.5509024525f, 0.073123845f], sgd.GetMomentumBuffer(p)!.Data, atol: 1e-7f);
        TensorAssert.Close([0.845278534025f, -1.98879353055f], p.Data, atol: 1e-7f);
    }

    [Fact]
    public void Dampening_NotAppliedOnFirstStep_AppliedAfterwards()
    {
        var p = Param("w", 1f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9, dampening: 0.5);
        Grad(p, 1f);
        sgd.Step();

        // v1 = d1 = 1 (no dampening on the first step); w1 = 1 − 0.1 = 0.9
        TensorAssert.Close([0.9f], p.Data, atol: 1e-7f);
        Grad(p, 2f);
        sgd.Step();

        // v2 = 0.9·1 + (1 − 0.5)·2 = 1.9; w2 = 0.9 − 0.19 = 0.71
        TensorAssert.Close([1.9f], sgd.GetMomentumBuffer(p)!.Data, atol: 1e-7f);
        TensorAssert.Close([0.71f], p.Data, atol: 1e-7f);
    }

    [Fact]
    public void Step_DoesNotModifyTheGradient()
    {
        var p = Param("w", 1f, -2f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1);
        Grad(p, 0.5f, 0.25f);
        sgd.Step();
        sgd.Step();
        TensorAssert.BitIdentical([0.5f, 0.25f], p.Grad!.Data);
    }

    [Fact]
    public void ParameterWithNullGrad_IsSkipped_AndGetsNoState()
    {
        var a = Param("a", 1f);
        var b = Param("b", 3f);
        var sgd = new Sgd([a, b], lr: 0.1, momentum: 0.9);
        Grad(a, 1f);
        sgd.Step();

        Assert.Equal(3f, b.Data[0]);
        Assert.Null(sgd.GetMomentumBuffer(b));
        Assert.NotNull(sgd.GetMomentumBuffer(a));
        Assert.Equal(["a.momentum_buffer"], sgd.StateDict().Keys);
    }

    [Fact]
    public void ZeroGrad_ClearsEveryManagedGradient()
    {
        var a = Param("a", 1f);
        var b = Param("b", 3f);
        var sgd = new Sgd([a, b], lr: 0.1);
        Grad(a, 1f);
        Grad(b, 1f);
        sgd.ZeroGrad();
        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
    }

    [Fact]
    public void Step_AllocatesNothingAfterTheFirstStep()
    {
        var a = Param("a", new float[1000]);
        var b = Param("b", new float[37]);
        var sgd = new Sgd([a, b], lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4);
        Grad(a, new float[1000]);
        Grad(b, new float[37]);
        for (int i = 0; i < 3; i++)
        {
            sgd.Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            sgd.Step();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
