using System.Runtime.InteropServices;
using Winnow.Testing;

namespace Winnow.Core.Tests.Kernels;

/// <summary>
/// Fast conv2d kernels against their naive twins, the naive twins against finite differences, and
/// bit-identical results for 1 and 2 threads. In the Parallelism collection because some tests set
/// <see cref="Parallelism.MaxThreads"/> and the chunk budget.
/// </summary>
[Collection("Parallelism")]
public sealed class Conv2dKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0)]
    [InlineData(3, 3, 7, 7, 5, 3, 3, 1, 1, 1, 1)]
    [InlineData(1, 5, 17, 17, 3, 5, 5, 2, 2, 2, 2)]
    [InlineData(3, 3, 17, 7, 5, 2, 3, 1, 1, 0, 0)]
    [InlineData(3, 1, 7, 17, 5, 3, 3, 2, 2, 1, 1)]
    [InlineData(3, 5, 17, 17, 3, 1, 1, 1, 1, 0, 0)] // 1x1 direct path (no im2col)
    [InlineData(1, 3, 7, 7, 5, 1, 1, 2, 2, 0, 0)]
    [InlineData(3, 3, 17, 17, 5, 5, 5, 1, 1, 2, 2)]
    [InlineData(1, 1, 1, 1, 3, 3, 3, 1, 1, 1, 1)]
    [InlineData(3, 5, 7, 7, 5, 2, 3, 2, 1, 2, 1)]
    [InlineData(1, 2, 33, 33, 3, 3, 3, 2, 2, 1, 1)] // vectorised stride-2 im2col/col2im (256-bit)
    [InlineData(1, 2, 9, 26, 3, 3, 3, 2, 2, 1, 1)] // ... and their 128-bit and scalar tails
    [InlineData(3, 3, 7, 1, 2, 3, 1, 1, 1, 1, 0)]
    [InlineData(3, 5, 1, 7, 3, 1, 3, 1, 2, 0, 1)]
    public void FastKernelsMatchNaive(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var g = new Conv2dGeometry(n, c, h, w, o, kh, kw, sh, sw, ph, pw);
        ForBothPlans(() => CheckAgainstNaive(g, seed: (ulong)(n * 1000 + c * 100 + h + kh * 7 + sw)));
    }

    [Fact]
    public void MultiChunkPlansMatchNaiveAndAreThreadCountIndependent()
    {
        (int savedBudget, int savedColumns) = (Conv2dKernels.ChunkBudgetFloats, Conv2dKernels.MinChunkColumns);
        try
        {
            // GEMM-parallel plan: 5 samples of (27 + 4)·49 floats with a 3-sample budget -> chunks of 3 + 2.
            // Sample-parallel plan: one sample per chunk; with 40 or 20 chunks the weight gradient sums
            // 16 groups of 2 or 3 chunks, including 1x1 convolutions that skip im2col.
            Conv2dKernels.ChunkBudgetFloats = 3 * 31 * 49;
            Conv2dKernels.MinChunkColumns = 1;
            ForBothPlans(() =>
            {
                foreach (var g in new Conv2dGeometry[]
                {
                    new(5, 3, 7, 7, 4, 3, 3, 1, 1, 1, 1),
                    new(40, 2, 5, 5, 3, 3, 3, 1, 1, 1, 1),
                    new(20, 3, 8, 8, 4, 1, 1, 1, 1, 0, 0),
                })
                {
                    CheckAgainstNaive(g, seed: 11);
                    AssertThreadCountIndependent(g, seed: 12);
                }
            });
        }
        finally
        {
            (Conv2dKernels.ChunkBudgetFloats, Conv2dKernels.MinChunkColumns) = (savedBudget, savedColumns);
        }
    }

    [Theory]
    [InlineData(6, 8, 16, 16, 16, 3, 3, 1, 1, 1, 1)]
    [InlineData(4, 8, 16, 16, 8, 1, 1, 1, 1, 0, 0)]
    [InlineData(4, 6, 19, 19, 8, 3, 3, 2, 2, 1, 1)]
    public void ResultsAreBitIdenticalForOneAndTwoThreads(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        ForBothPlans(() => AssertThreadCountIndependent(new Conv2dGeometry(n, c, h, w, o, kh, kw, sh, sw, ph, pw), seed: 5));
    }

    [Fact]
    public void NaiveBackwardKernelsMatchFiniteDifferences()
    {
        var g = new Conv2dGeometry(2, 2, 5, 4, 3, 2, 3, 2, 1, 1, 1);
        var rng = new Rng(21);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), w = KernelTestData.Uniform(rng, g.WeightLength), b = KernelTestData.Uniform(rng, g.O), r = KernelTestData.Uniform(rng, g.OutputLength);
        float[] dx = new float[x.Length], dw = new float[w.Length], db = new float[g.O];
        Conv2dKernels.BackwardInputNaive(g, r, w, dx, accumulate: false);
        Conv2dKernels.BackwardWeightNaive(g, r, x, dw, db, accumulate: false);

        // The loss is linear in each argument, so central differences are exact up to float rounding.
        FiniteDifference.AssertMatches(x, dx, () => Loss(g, x, w, b, r), 1e-2f, 1e-3, 1e-3);
        FiniteDifference.AssertMatches(w, dw, () => Loss(g, x, w, b, r), 1e-2f, 1e-3, 1e-3);
        FiniteDifference.AssertMatches(b, db, () => Loss(g, x, w, b, r), 1e-2f, 1e-3, 1e-3);
    }

    [Fact]
    public void ValidateNamesTheOffendingValues()
    {
        var tooBig = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 1, 3, 3, 1, 5, 5, 1, 1, 0, 0).Validate());
        Assert.Contains("KH=5", tooBig.Message);
        Assert.Contains("H=3", tooBig.Message);
        Assert.Contains("expected KH <= H + 2*PadH", tooBig.Message);

        var stride = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 1, 3, 3, 1, 1, 1, 0, 1, 0, 0).Validate());
        Assert.Contains("StrideH=0", stride.Message);

        var pad = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 1, 3, 3, 1, 1, 1, 1, 1, 0, -1).Validate());
        Assert.Contains("PadW=-1", pad.Message);

        var size = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(0, 1, 3, 3, 1, 1, 1, 1, 1, 0, 0).Validate());
        Assert.Contains("N=0", size.Message);
    }

    [Fact]
    public void MismatchedSpansAreRejectedWithTheExpectedLength()
    {
        var g = new Conv2dGeometry(1, 1, 3, 3, 2, 3, 3, 1, 1, 1, 1);
        var ex = Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[5], new float[18], [], new float[18]));
        Assert.Contains("x has 5 elements; expected 9", ex.Message);
        var bias = Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(g, new float[9], new float[18], new float[3], new float[18]));
        Assert.Contains("expected O=2", bias.Message);
        Assert.Throws<ArgumentException>(() => Conv2dKernels.BackwardWeight(g, new float[18], new float[9], new float[17], [], false));
    }

    /// <summary>Runs <paramref name="body"/> on the GEMM-parallel plan, then on the sample-parallel plan.</summary>
    private static void ForBothPlans(Action body)
    {
        int saved = Conv2dKernels.SampleParallelMaxWeights;
        try
        {
            foreach (int maxWeights in new[] { 0, int.MaxValue })
            {
                Conv2dKernels.SampleParallelMaxWeights = maxWeights;
                body();
            }
        }
        finally
        {
            Conv2dKernels.SampleParallelMaxWeights = saved;
        }
    }

    private static void CheckAgainstNaive(Conv2dGeometry g, ulong seed)
    {
        var rng = new Rng(seed);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), w = KernelTestData.Uniform(rng, g.WeightLength), b = KernelTestData.Uniform(rng, g.O), dy = KernelTestData.Uniform(rng, g.OutputLength);
        int fwdTerms = g.PatchLength + 1, dxTerms = g.O * g.KH * g.KW, dwTerms = g.N * g.OH * g.OW;

        foreach (bool withBias in new[] { false, true })
        {
            ReadOnlySpan<float> bias = withBias ? b : [];
            float[] expected = new float[g.OutputLength], actual = new float[g.OutputLength];
            Conv2dKernels.ForwardNaive(g, x, w, bias, expected);
            Conv2dKernels.Forward(g, x, w, bias, actual);
            AssertClose(expected, actual, fwdTerms);
        }

        foreach (bool accumulate in new[] { false, true })
        {
            float[] start = KernelTestData.Uniform(rng, g.InputLength);
            float[] expected = (float[])start.Clone(), actual = (float[])start.Clone();
            Conv2dKernels.BackwardInputNaive(g, dy, w, expected, accumulate);
            Conv2dKernels.BackwardInput(g, dy, w, actual, accumulate);
            AssertClose(expected, actual, dxTerms);

            foreach (bool withBias in new[] { false, true })
            {
                float[] dwStart = KernelTestData.Uniform(rng, g.WeightLength), dbStart = withBias ? KernelTestData.Uniform(rng, g.O) : [];
                float[] dwExpected = (float[])dwStart.Clone(), dwActual = (float[])dwStart.Clone();
                float[] dbExpected = (float[])dbStart.Clone(), dbActual = (float[])dbStart.Clone();
                Conv2dKernels.BackwardWeightNaive(g, dy, x, dwExpected, dbExpected, accumulate);
                Conv2dKernels.BackwardWeight(g, dy, x, dwActual, dbActual, accumulate);
                AssertClose(dwExpected, dwActual, dwTerms);
                AssertClose(dbExpected, dbActual, dwTerms);
            }
        }
    }

    private static void AssertThreadCountIndependent(Conv2dGeometry g, ulong seed)
    {
        var rng = new Rng(seed);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), w = KernelTestData.Uniform(rng, g.WeightLength), b = KernelTestData.Uniform(rng, g.O), dy = KernelTestData.Uniform(rng, g.OutputLength);
        float[][] Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            try
            {
                Parallelism.MaxThreads = threads;
                float[] y = new float[g.OutputLength], dx = new float[g.InputLength], dw = new float[g.WeightLength], db = new float[g.O];
                Conv2dKernels.Forward(g, x, w, b, y);
                Conv2dKernels.BackwardInput(g, dy, w, dx, accumulate: false);
                Conv2dKernels.BackwardWeight(g, dy, x, dw, db, accumulate: false);
                return [y, dx, dw, db];
            }
            finally
            {
                Parallelism.MaxThreads = saved;
            }
        }

        float[][] one = Run(1), two = Run(2);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(MemoryMarshal.AsBytes(one[i].AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(two[i].AsSpan())), $"output {i} differs between 1 and 2 threads for {g}");
        }
    }

    private static double Loss(Conv2dGeometry g, float[] x, float[] w, float[] b, float[] r)
    {
        float[] y = new float[g.OutputLength];
        Conv2dKernels.ForwardNaive(g, x, w, b, y);
        double loss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            loss += (double)y[i] * r[i];
        }

        return loss;
    }


    /// <summary>Float sums of <paramref name="terms"/> products in different orders differ by about terms·ε.</summary>
    private static void AssertClose(float[] expected, float[] actual, int terms)
    {
        Assert.Equal(expected.Length, actual.Length);
        float tolerance = 4e-6f * terms + 1e-6f;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance + 1e-5f * Math.Abs(expected[i]), $"[{i}]: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
        }
    }
}
