using System.Runtime.InteropServices;
using Winnow.Testing;

namespace Winnow.Core.Tests.Kernels;

/// <summary>Pooling kernels against naive twins and finite differences; bit-identical for 1 and 2 threads.</summary>
[Collection("Parallelism")]
public sealed class PoolKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1, 1, 1, 0, 0)]
    [InlineData(3, 3, 17, 17, 2, 2, 2, 2, 0, 0)] // vectorised 2x2 path, odd input width
    [InlineData(1, 2, 33, 34, 2, 2, 2, 2, 0, 0)] // vectorised 2x2 path plus scalar tail
    [InlineData(3, 5, 7, 7, 3, 3, 2, 2, 1, 1)]
    [InlineData(3, 1, 17, 7, 2, 3, 1, 2, 1, 1)]
    [InlineData(1, 3, 7, 17, 3, 3, 1, 1, 1, 1)]
    [InlineData(3, 3, 16, 16, 2, 2, 2, 2, 0, 0)]
    [InlineData(3, 2, 9, 9, 2, 2, 2, 2, 0, 0)] // 4-wide 2x2 outputs, odd input: two output rows per vector
    [InlineData(4, 5, 8, 8, 2, 2, 2, 2, 0, 0)] // LeNet-5's 8x8 -> 4x4: two output rows per vector
    [InlineData(2, 2, 10, 8, 2, 2, 2, 2, 0, 0)] // 5x4 outputs: the last row pair overlaps
    [InlineData(2, 2, 8, 12, 2, 2, 2, 2, 0, 0)] // 4x6 outputs: 2x2 on the flat gathered path
    [InlineData(2, 3, 5, 5, 2, 2, 2, 2, 0, 0)] // 2x2 outputs, fewer than a vector: scalar path
    [InlineData(2, 2, 5, 7, 3, 3, 1, 1, 1, 1)] // flat path with padding, 7-wide rows, overlapping last vector
    [InlineData(1, 3, 9, 9, 3, 2, 2, 3, 1, 1)] // flat path, unequal windows and strides, padded borders
    [InlineData(1, 1, 7, 7, 5, 5, 2, 2, 2, 2)]
    [InlineData(2, 2, 20, 21, 3, 3, 2, 2, 1, 1)] // gathered windows with padding and an overlapping tail
    public void FastKernelsMatchNaive(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var g = new Pool2dGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        var rng = new Rng((ulong)(n * 100 + h * 10 + kh + sw));
        float[] x = KernelTestData.Uniform(rng, g.InputLength);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = MathF.Round(x[i] * 4f) / 4f; // coarse values: many ties exercise the first-wins rule
        }

        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        int[] idx = new int[g.OutputLength], idxRef = new int[g.OutputLength];
        PoolKernels.MaxPool2dForward(g, x, y, idx);
        PoolKernels.MaxPool2dForwardNaive(g, x, yRef, idxRef);
        Assert.Equal(yRef, y);
        Assert.Equal(idxRef, idx);

        PoolKernels.AvgPool2dForward(g, x, y);
        PoolKernels.AvgPool2dForwardNaive(g, x, yRef);
        AssertClose(yRef, y);

        float[] dy = KernelTestData.Uniform(rng, g.OutputLength);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] start = KernelTestData.Uniform(rng, g.InputLength);
            float[] dx = (float[])start.Clone(), dxRef = (float[])start.Clone();
            PoolKernels.AvgPool2dBackward(g, dy, dx, accumulate);
            PoolKernels.AvgPool2dBackwardNaive(g, dy, dxRef, accumulate);
            AssertClose(dxRef, dx);

            // Max backward: scatter-add by argmax, checked against a plain loop.
            dx = (float[])start.Clone();
            dxRef = accumulate ? (float[])start.Clone() : new float[g.InputLength];
            PoolKernels.MaxPool2dBackward(g, dy, idx, dx, accumulate);
            for (int i = 0; i < dy.Length; i++)
            {
                dxRef[i / (g.OH * g.OW) * g.H * g.W + idx[i]] += dy[i];
            }

            Assert.Equal(dxRef, dx);
        }
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 1, 1)] // same window anchors for 3x3 stride 1 pad 1 over the first columns
    public void MaxPoolPropagatesNaNAndPicksItsIndexLikeTheNaiveLoop(int kernel, int stride, int pad)
    {
        var g = new Pool2dGeometry(1, 1, 4, 32, kernel, kernel, stride, stride, pad, pad);
        float[] x = KernelTestData.Uniform(new Rng(3), g.InputLength);
        x[1] = float.NaN;
        x[32 + 20] = float.NaN;
        x[6] = float.NegativeInfinity;
        x[7] = float.NegativeInfinity;
        x[38] = float.NegativeInfinity;
        x[39] = float.NegativeInfinity;
        foreach (int i in new[] { 9, 10, 11, 41, 42, 43 })
        {
            x[i] = float.NegativeInfinity; // with padding, window (0,10) of the 3x3 case sees only −∞
        }

        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        int[] idx = new int[g.OutputLength], idxRef = new int[g.OutputLength];
        PoolKernels.MaxPool2dForward(g, x, y, idx);
        PoolKernels.MaxPool2dForwardNaive(g, x, yRef, idxRef);
        (int nanOut, int infOut, int infIndex) = kernel == 2 ? (10, 3, 6) : (g.OW + 20, 10, 9);
        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[nanOut]));
        Assert.Equal(1, idx[0]);
        Assert.Equal(52, idx[nanOut]);
        Assert.Equal(float.NegativeInfinity, y[infOut]);
        Assert.Equal(infIndex, idx[infOut]);
        Assert.Equal(idxRef, idx);
        Assert.True(MemoryMarshal.AsBytes(yRef.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(y.AsSpan())));
    }

    [Theory]
    [InlineData(8, 8, 2, 2, 0)] // LeNet-5's second pool: 4x4 outputs, two rows per vector
    [InlineData(9, 11, 2, 2, 0)] // 4x5 outputs: 2x2 on the flat gathered path
    [InlineData(6, 7, 3, 1, 1)] // 7-wide padded rows, overlapping last vector
    public void NarrowMaxPoolMatchesTheNaiveLoopWithNaNAndInfinities(int h, int w, int kernel, int stride, int pad)
    {
        // Output rows narrower than a vector take the flat gathered path; NaN must win and −∞-only windows keep their first index.
        var g = new Pool2dGeometry(2, 3, h, w, kernel, kernel, stride, stride, pad, pad);
        var rng = new Rng(11);
        float[] x = KernelTestData.Uniform(rng, g.InputLength);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i % 13) switch
            {
                0 => float.NaN,
                3 or 4 => float.NegativeInfinity,
                _ => MathF.Round(x[i] * 2f) / 2f,
            };
        }

        for (int i = 0; i < 2 * w; i++)
        {
            x[g.H * g.W + i] = float.NegativeInfinity; // the top windows of the second plane see only −∞ (and padding)
        }

        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        int[] idx = new int[g.OutputLength], idxRef = new int[g.OutputLength];
        PoolKernels.MaxPool2dForward(g, x, y, idx);
        PoolKernels.MaxPool2dForwardNaive(g, x, yRef, idxRef);
        Assert.Equal(idxRef, idx);
        Assert.True(MemoryMarshal.AsBytes(yRef.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(y.AsSpan())));
        Assert.Contains(y, float.IsNaN);
        Assert.Contains(y, float.IsNegativeInfinity);
    }

    [Theory]
    [InlineData(1, 2, 5, 6, 3, 3, 2, 2, 1, 1)]
    [InlineData(1, 1, 4, 5, 3, 3, 1, 1, 1, 1)] // overlapping windows: one input can win several
    [InlineData(2, 1, 4, 4, 2, 2, 2, 2, 0, 0)]
    public void BackwardKernelsMatchFiniteDifferences(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var g = new Pool2dGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        var rng = new Rng(9);

        // Distinct values 0.1 apart, shuffled, so a step of 1e-3 never changes a window's winner.
        float[] x = new float[g.InputLength];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 0.1f * (i - x.Length / 2);
        }

        rng.Shuffle(x.AsSpan());
        float[] r = KernelTestData.Uniform(rng, g.OutputLength);
        float[] y = new float[g.OutputLength], dx = new float[g.InputLength];
        int[] idx = new int[g.OutputLength];

        PoolKernels.MaxPool2dForward(g, x, y, idx);
        PoolKernels.MaxPool2dBackward(g, r, idx, dx, accumulate: false);
        FiniteDifference.AssertMatches(x, dx, () => { PoolKernels.MaxPool2dForward(g, x, y, idx); return Dot(y, r); }, 1e-3f, 2e-3, 1e-3);

        PoolKernels.AvgPool2dBackward(g, r, dx, accumulate: false);
        FiniteDifference.AssertMatches(x, dx, () => { PoolKernels.AvgPool2dForward(g, x, y); return Dot(y, r); }, 1e-3f, 2e-3, 1e-3);

        float[] gy = new float[n * c], gr = KernelTestData.Uniform(rng, n * c);
        PoolKernels.GlobalAvgPool2dBackward(n, c, h, w, gr, dx, accumulate: false);
        FiniteDifference.AssertMatches(x, dx, () => { PoolKernels.GlobalAvgPool2dForward(n, c, h, w, x, gy); return Dot(gy, gr); }, 1e-3f, 2e-3, 1e-3);
    }

    [Fact]
    public void GlobalAveragePoolMatchesNaiveAndAccumulates()
    {
        var rng = new Rng(4);
        float[] x = KernelTestData.Uniform(rng, 3 * 5 * 7 * 9), y = new float[15], yRef = new float[15];
        PoolKernels.GlobalAvgPool2dForward(3, 5, 7, 9, x, y);
        PoolKernels.GlobalAvgPool2dForwardNaive(3, 5, 7, 9, x, yRef);
        AssertClose(yRef, y);

        float[] dy = KernelTestData.Uniform(rng, 15), start = KernelTestData.Uniform(rng, x.Length), dx = (float[])start.Clone();
        PoolKernels.GlobalAvgPool2dBackward(3, 5, 7, 9, dy, dx, accumulate: true);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(start[i] + dy[i / 63] / 63f, dx[i]);
        }
    }

    [Fact]
    public void ResultsAreBitIdenticalForOneAndTwoThreads()
    {
        var g = new Pool2dGeometry(8, 16, 32, 32, 3, 3, 2, 2, 1, 1);
        var rng = new Rng(8);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), dy = KernelTestData.Uniform(rng, g.OutputLength);
        float[][] Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            try
            {
                Parallelism.MaxThreads = threads;
                float[] ym = new float[g.OutputLength], ya = new float[g.OutputLength], dxm = new float[g.InputLength], dxa = new float[g.InputLength];
                float[] yg = new float[g.N * g.C], dxg = new float[g.InputLength];
                int[] idx = new int[g.OutputLength];
                PoolKernels.MaxPool2dForward(g, x, ym, idx);
                PoolKernels.MaxPool2dBackward(g, dy, idx, dxm, accumulate: false);
                PoolKernels.AvgPool2dForward(g, x, ya);
                PoolKernels.AvgPool2dBackward(g, dy, dxa, accumulate: false);
                PoolKernels.GlobalAvgPool2dForward(g.N, g.C, g.H, g.W, x, yg);
                PoolKernels.GlobalAvgPool2dBackward(g.N, g.C, g.H, g.W, yg, dxg, accumulate: false);
                return [ym, ya, dxm, dxa, yg, dxg, idx.Select(i => (float)i).ToArray()];
            }
            finally
            {
                Parallelism.MaxThreads = saved;
            }
        }

        float[][] one = Run(1), two = Run(2);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(MemoryMarshal.AsBytes(one[i].AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(two[i].AsSpan())), $"output {i} differs");
        }
    }

    [Fact]
    public void ValidateNamesTheOffendingValues()
    {
        var pad = Assert.Throws<ArgumentException>(() => new Pool2dGeometry(1, 1, 8, 8, 2, 2, 2, 2, 2, 0).Validate());
        Assert.Contains("PadH=2 (KH=2)", pad.Message);
        Assert.Contains("PadH <= KH/2", pad.Message);

        var big = Assert.Throws<ArgumentException>(() => new Pool2dGeometry(1, 1, 2, 8, 3, 2, 1, 1, 0, 0).Validate());
        Assert.Contains("KH=3", big.Message);
        Assert.Contains("H=2", big.Message);

        var stride = Assert.Throws<ArgumentException>(() => new Pool2dGeometry(1, 1, 8, 8, 2, 2, 2, -1, 0, 0).Validate());
        Assert.Contains("StrideW=-1", stride.Message);

        var g = Pool2dGeometry.Square(1, 1, 4, 4, 2, 2);
        var len = Assert.Throws<ArgumentException>(() => PoolKernels.MaxPool2dForward(g, new float[16], new float[4], new int[3]));
        Assert.Contains("argmax has 3 elements; expected 4", len.Message);
        var index = Assert.Throws<ArgumentException>(() => PoolKernels.MaxPool2dBackward(g, new float[4], new[] { 0, 1, 16, 2 }, new float[16], false));
        Assert.Contains("16", index.Message);
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += (double)a[i] * b[i];
        }

        return s;
    }


    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f + 1e-5f * Math.Abs(expected[i]), $"[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}
