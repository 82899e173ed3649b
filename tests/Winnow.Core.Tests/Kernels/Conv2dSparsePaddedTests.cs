using Winnow.Testing;

namespace Winnow.Core.Tests.Kernels;

/// <summary>
/// The per-plane sparse convolution (<see cref="Conv2dKernels.SparseForward"/> on maps wider than 8,
/// <see cref="Conv2dKernels.SparseBackward"/>'s input gradient) against the naive dense twins with the
/// masked weight: outputs start at the bias inside the register passes (no fill pass), output channels
/// with no kept weight, a valid conv read in place (LeNet-5's first conv: 1 channel, 5% of 500 weights),
/// padded convs, the input gradient both overwritten and accumulated; and 1 vs 2 threads bit-identical.
/// </summary>
[Collection("Parallelism")]
public sealed class Conv2dSparsePaddedTests
{

    private static (float[] Weight, SparsePattern Pattern) MaskedWeight(Rng rng, in Conv2dGeometry g, double density) =>
        KernelTestData.MaskedConvWeight(rng, g, density, emptyFirstChannel: false);

    [Theory]
    [InlineData(5, 1, 28, 28, 20, 5, 0, 0.05)] // LeNet-5 conv1: most output channels have no kept weight; input read in place
    [InlineData(3, 2, 17, 13, 4, 3, 1, 0.3)] // padded copy, ragged width (overlapping last vector)
    [InlineData(2, 3, 12, 20, 5, 5, 2, 0.2)]
    [InlineData(2, 2, 10, 10, 3, 3, 2, 0.5)] // input gradient read in place (padding = kernel − 1)
    public void PerPlane_MatchesNaiveDenseWithMaskedWeight(int n, int c, int h, int w, int o, int k, int pad, double density)
    {
        var rng = new Rng(4242);
        var g = new Conv2dGeometry(n, c, h, w, o, k, k, 1, 1, pad, pad);
        var (weight, s) = MaskedWeight(rng, g, density);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), bias = KernelTestData.Uniform(rng, o);
        float[] y = KernelTestData.Uniform(rng, g.OutputLength), yRef = new float[g.OutputLength];
        Conv2dKernels.ForwardNaive(g, x, weight, bias, yRef);
        Conv2dKernels.SparseForward(g, x, s, bias, y);
        TensorAssert.Close(yRef, y, atol: 1e-4f, rtol: 1e-4f, what: "per-plane sparse conv forward");

        Conv2dKernels.SparseForward(g, x, s, default, y);
        Conv2dKernels.ForwardNaive(g, x, weight, default, yRef);
        TensorAssert.Close(yRef, y, atol: 1e-4f, rtol: 1e-4f, what: "per-plane sparse conv forward without bias");

        float[] dy = KernelTestData.Uniform(rng, g.OutputLength), dx0 = KernelTestData.Uniform(rng, g.InputLength);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] dx = (float[])dx0.Clone(), dxRef = (float[])dx0.Clone();
            Conv2dKernels.BackwardInputNaive(g, dy, weight, dxRef, accumulate);
            Conv2dKernels.SparseBackward(g, dy, x, s, dx, accumulate, default, false);
            TensorAssert.Close(dxRef, dx, atol: 1e-4f, rtol: 1e-4f, what: $"per-plane sparse conv input gradient (accumulate {accumulate})");
        }
    }

    /// <summary>
    /// The weight gradient at kept positions on the per-plane path pads the whole batch once into a
    /// reused buffer: every border element must be rewritten, so a first call with large inputs and
    /// wider padding must not leak into a second, smaller one. Odd and even kept counts per row exercise
    /// the paired and the single dot products; accumulate adds onto the existing gradient.
    /// </summary>
    [Theory]
    [InlineData(3, 2, 17, 13, 4, 3, 1, 0.3)]
    [InlineData(2, 3, 12, 20, 5, 5, 2, 0.2)]
    [InlineData(2, 4, 9, 11, 7, 3, 1, 0.6)]
    [InlineData(5, 1, 28, 28, 20, 5, 0, 0.05)] // no padding: the input is read in place
    public void PerPlaneWeightGradient_MatchesNaive_AfterALargerPaddedCall(int n, int c, int h, int w, int o, int k, int pad, double density)
    {
        var rng = new Rng(4244);
        var big = new Conv2dGeometry(3, 5, 14, 14, 4, 5, 5, 1, 1, 2, 2);
        var (_, bigPattern) = MaskedWeight(rng, big, 0.5);
        float[] bigX = new float[big.InputLength], bigDy = KernelTestData.Uniform(rng, big.OutputLength), bigDw = new float[big.WeightLength];
        Array.Fill(bigX, 1e6f);
        Conv2dKernels.SparseBackward(big, bigDy, bigX, bigPattern, default, false, bigDw, false);

        var g = new Conv2dGeometry(n, c, h, w, o, k, k, 1, 1, pad, pad);
        var (_, s) = MaskedWeight(rng, g, density);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), dy = KernelTestData.Uniform(rng, g.OutputLength);
        float[] mask = new float[g.WeightLength];
        for (int r = 0; r < s.Rows; r++)
        {
            for (int q = s.RowPtr[r]; q < s.RowPtr[r + 1]; q++)
            {
                mask[r * g.PatchLength + s.ColIdx[q]] = 1f;
            }
        }

        foreach (bool accumulate in new[] { false, true })
        {
            float[] dw0 = KernelTestData.Uniform(rng, g.WeightLength), dw = (float[])dw0.Clone(), full = new float[g.WeightLength];
            Conv2dKernels.BackwardWeightNaive(g, dy, x, full, default, accumulate: false);
            float[] expected = new float[g.WeightLength];
            for (int e = 0; e < expected.Length; e++)
            {
                expected[e] = mask[e] != 0f ? (accumulate ? dw0[e] : 0f) + full[e] : (accumulate ? dw0[e] : 0f);
            }

            Conv2dKernels.SparseBackward(g, dy, x, s, default, false, dw, accumulate);
            TensorAssert.Close(expected, dw, atol: 1e-4f, rtol: 1e-4f, what: $"per-plane sparse conv weight gradient (accumulate {accumulate})");
        }
    }

    [Fact]
    public void PerPlane_OneAndTwoThreads_AreBitIdentical()
    {
        var rng = new Rng(4243);
        var g = new Conv2dGeometry(24, 1, 28, 28, 20, 5, 5, 1, 1, 0, 0);
        var (_, s) = MaskedWeight(rng, g, 0.05);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), dy = KernelTestData.Uniform(rng, g.OutputLength), bias = KernelTestData.Uniform(rng, g.O);
        int saved = Parallelism.MaxThreads;
        try
        {
            var results = new List<float[][]>();
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                float[] y = new float[g.OutputLength], dx = new float[g.InputLength];
                Conv2dKernels.SparseForward(g, x, s, bias, y);
                Conv2dKernels.SparseBackward(g, dy, x, s, dx, false, default, false);
                results.Add([y, dx]);
            }

            for (int r = 0; r < results[0].Length; r++)
            {
                TensorAssert.BitIdentical(results[0][r], results[1][r], what: $"per-plane result {r} with 1 vs 2 threads");
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
