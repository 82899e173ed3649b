using Winnow.Testing;

namespace Winnow.Core.Tests.Kernels;

/// <summary>
/// <see cref="SparseKernels.LinearForwardFeatureMajor"/>: the same bits as the transposed forward
/// (<see cref="SparseKernels.LinearForward"/>) followed by the bias and ReLU, read back in feature-major
/// order; with pre-gathered (frozen) values; against the naive twin; for 1 and 2 threads.
/// </summary>
[Collection("Parallelism")]
public sealed class SparseFeatureMajorTests
{
    private const ulong Seed = 5151;

    private static (SparsePattern Pattern, float[] W) Weight(Rng rng, int m, int k, double density)
    {
        var mask = new float[m * k];
        for (int i = k; i < mask.Length; i++)
        {
            mask[i] = rng.NextDouble() < density ? 1f : 0f; // row 0 empty: its outputs are the bias alone
        }

        return (new SparsePattern(m, k, mask), KernelTestData.Uniform(rng, m * k));
    }

    /// <summary>act(Y)ᵀ from the transposed forward: Y = (S·Xᵀ)ᵀ + b, then max(·, 0) when <paramref name="relu"/>.</summary>
    private static float[] ThroughTransposedForward(SparsePattern s, float[] w, int m, int n, int k, float[] xt, float[] bias, bool relu)
    {
        float[] values = new float[s.NonZeros], yt = new float[m * n], y = new float[n * m], back = new float[m * n];
        SparseKernels.LinearForward(m, n, k, s.RowPtr, s.ColIdx, w, values, xt, yt, bias, y);
        if (relu)
        {
            ElementwiseKernels.ReluForward(y, y);
        }

        SparseKernels.Transpose(n, m, y, back, false);
        return back;
    }

    [Theory]
    [InlineData(1, 1, 1, true, true)]
    [InlineData(8, 8, 8, false, true)]
    [InlineData(13, 37, 29, true, false)]
    [InlineData(300, 100, 784, true, true)]
    [InlineData(17, 9, 50, false, false)]
    [InlineData(24, 130, 45, true, true)]
    [InlineData(10, 100, 100, true, false)]
    public void FeatureMajorForward_IsTheTransposedForwardWithBiasAndRelu_BitForBit(int m, int n, int k, bool withBias, bool relu)
    {
        var rng = new Rng(Seed);
        var (s, w) = Weight(rng, m, k, 0.2);
        float[] xt = KernelTestData.Uniform(rng, k * n), bias = withBias ? KernelTestData.Uniform(rng, m) : [];
        float[] expected = ThroughTransposedForward(s, w, m, n, k, xt, bias, relu);

        float[] values = new float[s.NonZeros], yt = KernelTestData.Uniform(rng, m * n);
        SparseKernels.LinearForwardFeatureMajor(m, n, k, s.RowPtr, s.ColIdx, w, values, xt, bias, relu, yt);
        s.GatherCsr(w);
        TensorAssert.BitIdentical(s.CsrValues.ToArray(), values, what: "gathered values");
        TensorAssert.BitIdentical(expected, yt, what: "act(S·Xᵀ + b)");
        Assert.True(!relu || yt.All(v => v >= 0f), "ReLU left a negative output");

        // Frozen values: w empty, the values already gathered are read as they are.
        float[] frozenYt = new float[m * n];
        SparseKernels.LinearForwardFeatureMajor(m, n, k, s.RowPtr, s.ColIdx, default, values, xt, bias, relu, frozenYt);
        TensorAssert.BitIdentical(expected, frozenYt, what: "with pre-gathered values");

        float[] naive = new float[m * n];
        SparseKernels.SpMMNaive(m, n, s.RowPtr, s.ColIdx, s.CsrValues, xt, n, naive, n, false);
        for (int r = 0; r < m; r++)
        {
            for (int j = 0; j < n; j++)
            {
                float v = naive[r * n + j] + (withBias ? bias[r] : 0f);
                naive[r * n + j] = relu ? Math.Max(v, 0f) : v;
            }
        }

        TensorAssert.Close(naive, yt, atol: 1e-5f, rtol: 1e-4f, what: "against the naive twin");
    }

    [Theory]
    [InlineData(100, 48)]
    [InlineData(100, 8)]
    [InlineData(77, 40)]
    [InlineData(130, 41)]
    [InlineData(64, 32)]
    public void ColumnPanels_GiveTheFullWidthBits(int n, int split)
    {
        // Every output is one sum in index order, so any split of the batch columns gives the same bits
        // (what the batch-panel chain relies on); the panels exercise 1–5-vector remainders and masks.
        var rng = new Rng(Seed + 3);
        const int m = 37, k = 90;
        var (s, w) = Weight(rng, m, k, 0.2);
        float[] xt = KernelTestData.Uniform(rng, k * n), bias = KernelTestData.Uniform(rng, m), values = new float[s.NonZeros];
        float[] full = new float[m * n];
        SparseKernels.LinearForwardFeatureMajor(m, n, k, s.RowPtr, s.ColIdx, w, values, xt, bias, true, full);
        foreach (var (c0, c1) in new[] { (0, split), (split, n) })
        {
            int width = c1 - c0;
            float[] panel = new float[k * width], out_ = new float[m * width];
            for (int r = 0; r < k; r++)
            {
                Array.Copy(xt, r * n + c0, panel, r * width, width);
            }

            SparseKernels.LinearForwardFeatureMajor(m, width, k, s.RowPtr, s.ColIdx, default, values, panel, bias, true, out_);
            for (int r = 0; r < m; r++)
            {
                TensorAssert.BitIdentical(full.AsSpan(r * n + c0, width), out_.AsSpan(r * width, width), what: $"row {r}, columns {c0}..{c1}");
            }
        }
    }

    [Fact]
    public void FrozenValues_AreReadNotRegathered()
    {
        var rng = new Rng(Seed + 1);
        const int m = 16, n = 12, k = 20;
        var (s, w) = Weight(rng, m, k, 0.5);
        float[] xt = KernelTestData.Uniform(rng, k * n);
        s.GatherCsr(w);
        float[] values = s.CsrValues.ToArray(), before = new float[m * n], after = new float[m * n];
        SparseKernels.LinearForwardFeatureMajor(m, n, k, s.RowPtr, s.ColIdx, default, values, xt, default, false, before);
        Array.Fill(values, 0f);
        SparseKernels.LinearForwardFeatureMajor(m, n, k, s.RowPtr, s.ColIdx, default, values, xt, default, false, after);
        Assert.Contains(before, v => v != 0f);
        Assert.All(after, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void OneAndTwoThreads_AreBitIdentical()
    {
        var rng = new Rng(Seed + 2);
        const int m = 300, n = 100, k = 784;
        var (s, w) = Weight(rng, m, k, 0.05);
        float[] xt = KernelTestData.Uniform(rng, k * n), bias = KernelTestData.Uniform(rng, m);
        int saved = Parallelism.MaxThreads;
        try
        {
            var results = new List<float[]>();
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                float[] values = new float[s.NonZeros], yt = new float[m * n];
                SparseKernels.LinearForwardFeatureMajor(m, n, k, s.RowPtr, s.ColIdx, w, values, xt, bias, true, yt);
                results.Add(yt);
            }

            TensorAssert.BitIdentical(results[0], results[1], what: "1 vs 2 threads");
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void BadSizes_AreRefusedWithTheShapes()
    {
        var s = new SparsePattern(4, 6, new float[24]);
        var ex = Assert.Throws<ArgumentException>(() =>
            SparseKernels.LinearForwardFeatureMajor(4, 3, 6, s.RowPtr, s.ColIdx, new float[24], new float[0], new float[18], new float[5], false, new float[12]));
        Assert.Contains("bias has 5 entries; expected M = 4", ex.Message);
        ex = Assert.Throws<ArgumentException>(() =>
            SparseKernels.LinearForwardFeatureMajor(4, 3, 6, s.RowPtr, s.ColIdx, new float[24], new float[0], new float[17], default, false, new float[12]));
        Assert.Contains("xt (6, 3)", ex.Message);
    }
}
