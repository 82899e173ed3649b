using Winnow.Testing;

namespace Winnow.Core.Tests.Kernels;

/// <summary>
/// The batch-innermost sparse convolution (<see cref="Conv2dKernels.SparseForwardBatched"/>,
/// <see cref="Conv2dKernels.SparseBackwardBatched"/>) against the naive dense twins with the masked
/// weight: odd batch sizes (lane tails of the 32- and 8-wide loops), strides, padding, small maps, 5×5
/// kernels; and bit-identical results for 1 and 2 threads.
/// </summary>
[Collection("Parallelism")]
public sealed class Conv2dSparseBatchedTests
{

    private static (float[] Weight, SparsePattern Pattern) MaskedWeight(Rng rng, in Conv2dGeometry g, double density) =>
        KernelTestData.MaskedConvWeight(rng, g, density, emptyFirstChannel: true);

    [Theory]
    [InlineData(3, 5, 9, 7, 4, 3, 1, 1, 0.3)]
    [InlineData(8, 3, 8, 8, 6, 3, 2, 1, 0.5)]
    [InlineData(37, 16, 4, 4, 9, 3, 1, 1, 0.2)]
    [InlineData(41, 6, 2, 2, 7, 3, 1, 1, 0.5)]
    [InlineData(33, 7, 9, 9, 5, 1, 2, 0, 0.5)]
    [InlineData(17, 4, 11, 11, 5, 3, 2, 1, 0.4)]
    [InlineData(9, 3, 12, 12, 6, 5, 1, 0, 0.3)]
    [InlineData(12, 2, 13, 10, 3, 5, 3, 2, 0.6)]
    [InlineData(100, 4, 5, 5, 3, 3, 1, 0, 0.3)]
    [InlineData(36, 8, 12, 12, 10, 5, 1, 0, 0.1)] // LeNet-5 conv2-like: every pixel interior; 32 lanes + an overlapping fifth vector
    [InlineData(72, 3, 7, 7, 4, 3, 1, 1, 0.4)] // interior and border pixels; a remainder of exactly 8 lanes
    [InlineData(50, 3, 6, 6, 4, 3, 1, 1, 0.4)] // a remainder of 18 lanes: one pass of overlapping vectors
    [InlineData(5, 2, 6, 6, 3, 3, 1, 1, 0.5)] // fewer lanes than a vector: masked
    [InlineData(40, 3, 11, 11, 4, 3, 2, 1, 0.5)] // strided interior pixels
    public void Batched_MatchesNaiveDenseWithMaskedWeight(int n, int c, int h, int w, int o, int k, int stride, int pad, double density)
    {
        var rng = new Rng(977);
        var g = new Conv2dGeometry(n, c, h, w, o, k, k, stride, stride, pad, pad);
        var (weight, s) = MaskedWeight(rng, g, density);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), bias = KernelTestData.Uniform(rng, o);
        float[] y = KernelTestData.Uniform(rng, g.OutputLength), yRef = new float[g.OutputLength];
        Conv2dKernels.ForwardNaive(g, x, weight, bias, yRef);
        Conv2dKernels.SparseForwardBatched(g, x, s, bias, y);
        TensorAssert.Close(yRef, y, atol: 1e-4f, rtol: 1e-4f, what: "batched sparse conv forward");

        float[] dy = KernelTestData.Uniform(rng, g.OutputLength), dx0 = KernelTestData.Uniform(rng, g.InputLength);
        float[] dx = (float[])dx0.Clone(), dxRef = (float[])dx0.Clone(), dw = KernelTestData.Uniform(rng, g.WeightLength), dwRef = new float[g.WeightLength];
        Conv2dKernels.BackwardInputNaive(g, dy, weight, dxRef, accumulate: true);
        Conv2dKernels.BackwardWeightNaive(g, dy, x, dwRef, default, accumulate: false);
        for (int e = 0; e < dwRef.Length; e++)
        {
            dwRef[e] = weight[e] == 0f ? 0f : dwRef[e];
        }

        Conv2dKernels.SparseBackwardBatched(g, dy, x, s, dx, accumulateDx: true, dw, accumulateDw: false);
        TensorAssert.Close(dxRef, dx, atol: 1e-4f, rtol: 1e-4f, what: "batched sparse conv input gradient (accumulated)");
        TensorAssert.Close(dwRef, dw, atol: 1e-4f, rtol: 1e-4f, what: "batched sparse conv weight gradient at kept positions");

        // Overwrite mode for dx, accumulate mode for dw.
        float[] dw2 = (float[])dw.Clone();
        Conv2dKernels.SparseBackwardBatched(g, dy, x, s, dx, accumulateDx: false, dw2, accumulateDw: true);
        Conv2dKernels.BackwardInputNaive(g, dy, weight, dxRef, accumulate: false);
        TensorAssert.Close(dxRef, dx, atol: 1e-4f, rtol: 1e-4f, what: "batched sparse conv input gradient (overwritten)");
        for (int e = 0; e < dw.Length; e++)
        {
            dw[e] *= 2f;
        }

        TensorAssert.Close(dw, dw2, atol: 1e-4f, rtol: 1e-4f, what: "batched sparse conv weight gradient (accumulated)");
    }

    [Theory]
    [InlineData(20, 16, 16, 16, 32, 3, 2, 1)]
    [InlineData(37, 32, 2, 2, 24, 3, 1, 1)]
    [InlineData(100, 12, 4, 4, 20, 3, 1, 1)]
    [InlineData(100, 20, 12, 12, 50, 5, 1, 0)] // LeNet-5's conv2
    public void Batched_OneAndTwoThreads_AreBitIdentical(int n, int c, int h, int w, int o, int k, int stride, int pad)
    {
        var rng = new Rng(978);
        var g = new Conv2dGeometry(n, c, h, w, o, k, k, stride, stride, pad, pad);
        var (_, s) = MaskedWeight(rng, g, 0.1);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), dy = KernelTestData.Uniform(rng, g.OutputLength), bias = KernelTestData.Uniform(rng, o);
        int saved = Parallelism.MaxThreads;
        try
        {
            var results = new List<float[][]>();
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                float[] y = new float[g.OutputLength], dx = new float[g.InputLength], dw = new float[g.WeightLength];
                Conv2dKernels.SparseForwardBatched(g, x, s, bias, y);
                Conv2dKernels.SparseBackwardBatched(g, dy, x, s, dx, false, dw, false);
                results.Add([y, dx, dw]);
            }

            for (int r = 0; r < results[0].Length; r++)
            {
                TensorAssert.BitIdentical(results[0][r], results[1][r], what: $"batched result {r} with 1 vs 2 threads");
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void SparseIsFast_CoversSmallMaps_WithABatch_ButNotStrided()
    {
        if (!System.Runtime.Intrinsics.X86.Fma.IsSupported || !System.Runtime.Intrinsics.X86.Avx.IsSupported)
        {
            Assert.False(Conv2dKernels.SparseIsFast(new Conv2dGeometry(100, 512, 2, 2, 512, 3, 3, 1, 1, 1, 1)));
            return;
        }

        // Strided layers measured 2-3x slower sparse than dense: they stay dense.
        Assert.False(Conv2dKernels.SparseIsFast(new Conv2dGeometry(100, 128, 32, 32, 256, 3, 3, 2, 2, 1, 1)));
        Assert.True(Conv2dKernels.SparseIsFast(new Conv2dGeometry(100, 512, 2, 2, 512, 3, 3, 1, 1, 1, 1)));
        Assert.True(Conv2dKernels.SparseIsFast(new Conv2dGeometry(100, 512, 4, 4, 512, 3, 3, 1, 1, 1, 1)));
        Assert.True(Conv2dKernels.SparseIsFast(new Conv2dGeometry(100, 20, 12, 12, 50, 5, 5, 1, 1, 0, 0)));
        Assert.True(Conv2dKernels.SparseIsFast(new Conv2dGeometry(100, 64, 32, 32, 64, 3, 3, 1, 1, 1, 1)));
        Assert.False(Conv2dKernels.SparseIsFast(new Conv2dGeometry(1, 512, 2, 2, 512, 3, 3, 1, 1, 1, 1)));
    }

    [Fact]
    public void Batched_PatternOfAnotherShape_IsRejectedWithTheExpectedShape()
    {
        var g = new Conv2dGeometry(8, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1);
        var s = new SparsePattern(3, 9, new float[27]);
        var ex = Assert.Throws<ArgumentException>(() => Conv2dKernels.SparseForwardBatched(g, new float[g.InputLength], s, default, new float[g.OutputLength]));
        Assert.Contains("expected (O, C·KH·KW) = (3, 18)", ex.Message);
    }
}
