using Winnow.NN;
using Winnow.NN.Optim;
using Winnow.Testing;
using static Winnow.NN.Tests.Optim.OptimTestData;

namespace Winnow.NN.Tests.Optim;

public class AdamTests
{
    private static readonly float[] s_w0 = [0.5f, -1.0f, 2.0f, 0.0f];

    private static readonly float[][] s_grads =
    [
        [0.1f, -0.2f, 0.0f, 1.5f],
        [0.3f, 0.1f, -0.05f, -1.0f],
        [-0.2f, 0.4f, 0.2f, 0.5f],
    ];

    [Fact]
    public void FirstStep_MovesEachWeightByAboutLr_AgainstTheGradientSign()
    {
        var p = Param("w", 0.5f, -1.0f, 2.0f);
        var adam = new Adam([p], lr: 0.01);
        Grad(p, 0.1f, -0.2f, 0f);
        adam.Step();

        // t = 1: m = 0.1·g, v = 0.001·g², m̂ = g, √v̂ = |g| ⇒ w ← w − 0.01·g/(|g| + 1e-8)
        // = [0.5 − 0.01, −1 + 0.01, 2 − 0] (g = 0 gives 0/ε = 0)
        TensorAssert.Close([0.49f, -0.99f, 2.0f], p.Data, atol: 1e-7f);
        Assert.Equal(1, adam.GetStep(p));
        TensorAssert.Close([0.01f, -0.02f, 0f], adam.GetExpAvg(p)!.Data, atol: 1e-9f);
        TensorAssert.Close([1e-5f, 4e-5f, 0f], adam.GetExpAvgSq(p)!.Data, atol: 1e-12f);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.01, false)]
    [InlineData(0.1, true)]
    public void ThreeSteps_MatchDoublePrecisionReference(double weightDecay, bool decoupled)
    {
        var p = Param("w", s_w0);
        var adam = new Adam([p], lr: 0.01, weightDecay: weightDecay, decoupledWeightDecay: decoupled);
        foreach (var g in s_grads)
        {
            Grad(p, g);
            adam.Step();
        }

        var expected = ReferenceAdam(s_w0, s_grads, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, decoupled);
        TensorAssert.Close(expected, p.Data, atol: 2e-7f, rtol: 1e-6f);
        Assert.Equal(3, adam.GetStep(p));
    }

    [Fact]
    public void AdamW_DefaultsToDecoupledDecay001()
    {
        var p = Param("w", s_w0);
        var adamW = new AdamW([p], lr: 0.01);
        Assert.True(adamW.DecoupledWeightDecay);
        Assert.Equal(0.01, adamW.Groups[0].WeightDecay);
        foreach (var g in s_grads)
        {
            Grad(p, g);
            adamW.Step();
        }

        var expected = ReferenceAdam(s_w0, s_grads, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true);
        TensorAssert.Close(expected, p.Data, atol: 2e-7f, rtol: 1e-6f);
    }

    [Fact]
    public void ParameterWithNullGrad_IsSkipped_AndItsStepCountStaysZero()
    {
        var a = Param("a", 1f);
        var b = Param("b", 3f);
        var adam = new Adam([a, b]);
        Grad(a, 1f);
        adam.Step();
        adam.Step();

        Assert.Equal(2, adam.GetStep(a));
        Assert.Equal(0, adam.GetStep(b));
        Assert.Null(adam.GetExpAvg(b));
        Assert.Equal(3f, b.Data[0]);
    }

    [Fact]
    public void Step_AllocatesNothingAfterTheFirstStep()
    {
        var p = Param("w", new float[513]);
        var adam = new Adam([p], weightDecay: 1e-4);
        Grad(p, new float[513]);
        adam.Step();
        adam.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            adam.Step();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Straightforward double-precision Adam/AdamW written from the paper + PyTorch docs, independent of the optimizer.</summary>
    private static float[] ReferenceAdam(float[] w0, float[][] grads, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled)
    {
        int n = w0.Length;
        double[] w = [.. w0.Select(x => (double)x)];
        double[] m = new double[n], v = new double[n];
        for (int t = 1; t <= grads.Length; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double g = grads[t - 1][i];
                if (decoupled)
                {
                    w[i] *= 1 - (lr * weightDecay);
                }
                else
                {
                    g += weightDecay * w[i];
                }

                m[i] = (beta1 * m[i]) + ((1 - beta1) * g);
                v[i] = (beta2 * v[i]) + ((1 - beta2) * g * g);
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double denom = (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(beta2, t))) + eps;
                w[i] -= lr * mHat / denom;
            }
        }

        return [.. w.Select(x => (float)x)];
    }
}
