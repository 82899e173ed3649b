using Winnow.Testing;

namespace Winnow.Core.Tests.Kernels;

/// <summary>
/// <see cref="SparsePattern"/>, <see cref="SparseKernels"/> and the sparse Conv2d path against
/// their naive twins and the dense kernels on odd sizes (tails of the 32- and 8-wide loops, column
/// panels, empty rows), and bit-identical results for 1 and 2 threads.
/// </summary>
[Collection("Parallelism")]
public sealed class SparseKernelTests
{
    private const ulong Seed = 4242;


    /// <summary>A 0/1 mask of the given density; row 0 is left empty to exercise empty rows.</summary>
    private static float[] Mask(Rng rng, int rows, int cols, double density)
    {
        var m = new float[rows * cols];
        for (int i = cols; i < m.Length; i++)
        {
            m[i] = rng.NextDouble() < density ? 1f : 0f;
        }

        return m;
    }

    [Fact]
    public void Pattern_IndexesMatchMask_AndRebuildTracksChanges()
    {
        float[] mask = [0, 1, 1, 0, 1, 0, 0, 0, 1];
        var s = new SparsePattern(3, 3, mask);
        Assert.Equal(4, s.NonZeros);
        Assert.Equal([0, 2, 3, 4], s.RowPtr.ToArray());
        Assert.Equal([1, 2, 1, 2], s.ColIdx.ToArray());
        Assert.Equal([0, 0, 2, 4], s.ColPtr.ToArray());
        Assert.Equal([0, 1, 0, 2], s.RowIdx.ToArray());
        s.Gather([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.Equal([2f, 3f, 5f, 9f], s.CsrValues.ToArray());
        Assert.Equal([2f, 5f, 3f, 9f], s.CscValues.ToArray());

        int version = s.Version;
        s.Rebuild([1, 1, 1, 1, 1, 1, 1, 1, 1]);
        Assert.Equal(9, s.NonZeros);
        Assert.Equal(version + 1, s.Version);
        var ex = Assert.Throws<ArgumentException>(() => s.Rebuild(new float[8]));
        Assert.Contains("needs a mask of 9", ex.Message);
    }

    [Fact]
    public void GatherCsr_ThenCscFromCsr_ReadTheWeightAtEveryKeptPosition_AfterRebuilds()
    {
        var rng = new Rng(Seed);
        const int rows = 23, cols = 41;
        var s = new SparsePattern(rows, cols, Mask(rng, rows, cols, 0.3));
        foreach (double density in new[] { 0.3, 0.7, 0.1 })
        {
            s.Rebuild(Mask(rng, rows, cols, density));
            float[] w = KernelTestData.Uniform(rng, rows * cols);
            s.GatherCsr(w);
            s.GatherCscFromCsr();
            for (int r = 0; r < rows; r++)
            {
                for (int p = s.RowPtr[r]; p < s.RowPtr[r + 1]; p++)
                {
                    Assert.Equal(w[r * cols + s.ColIdx[p]], s.CsrValues[p]);
                }
            }

            for (int c = 0; c < cols; c++)
            {
                for (int q = s.ColPtr[c]; q < s.ColPtr[c + 1]; q++)
                {
                    Assert.Equal(w[s.RowIdx[q] * cols + c], s.CscValues[q]);
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1, 1.0)]
    [InlineData(7, 3, 5, 0.5)]
    [InlineData(13, 37, 29, 0.3)]
    [InlineData(30, 100, 78, 0.05)]
    [InlineData(9, 32, 20, 0.3)]
    [InlineData(9, 33, 20, 0.3)]
    [InlineData(9, 64, 20, 0.3)]
    [InlineData(9, 96, 20, 0.3)]
    [InlineData(9, 127, 20, 0.3)]
    [InlineData(10, 401, 33, 0.2)]
    [InlineData(5, 1000, 17, 0.4)]
    public void SpMM_MatchesNaive(int m, int n, int k, double density)
    {
        var rng = new Rng(Seed);
        var s = new SparsePattern(m, k, Mask(rng, m, k, density));
        s.Gather(KernelTestData.Uniform(rng, m * k));
        int ldb = n + 3, ldc = n + 1;
        float[] b = KernelTestData.Uniform(rng, k * ldb), c0 = KernelTestData.Uniform(rng, m * ldc);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] fast = (float[])c0.Clone(), naive = (float[])c0.Clone();
            SparseKernels.SpMM(m, n, k, s.RowPtr, s.ColIdx, s.CsrValues, b, ldb, fast, ldc, accumulate);
            SparseKernels.SpMMNaive(m, n, s.RowPtr, s.ColIdx, s.CsrValues, b, ldb, naive, ldc, accumulate);
            TensorAssert.Close(naive, fast, atol: 1e-5f, rtol: 1e-4f, what: $"SpMM accumulate={accumulate}");
        }

        // The CSC index is the CSR of Wᵀ: Wᵀ·B' with B' (M, n) equals the dense transposed product.
        float[] bt = KernelTestData.Uniform(rng, m * n), dense = new float[m * k], viaCsc = new float[k * n], expected = new float[k * n];
        for (int i = 0; i < m; i++)
        {
            for (int p = s.RowPtr[i]; p < s.RowPtr[i + 1]; p++)
            {
                dense[i * k + s.ColIdx[p]] = s.CsrValues[p];
            }
        }

        SparseKernels.SpMM(k, n, m, s.ColPtr, s.RowIdx, s.CscValues, bt, n, viaCsc, n, false);
        Sgemm.GemmNaive(true, false, k, n, m, 1f, dense, k, bt, n, 0f, expected, n);
        TensorAssert.Close(expected, viaCsc, atol: 1e-5f, rtol: 1e-4f, what: "SpMM through CSC");
    }

    [Theory]
    [InlineData(1, 1, 1, 1.0)]
    [InlineData(7, 3, 5, 0.5)]
    [InlineData(13, 37, 29, 0.3)]
    [InlineData(30, 100, 78, 0.05)]
    [InlineData(9, 71, 40, 0.6)]
    [InlineData(20, 100, 300, 0.1)]
    [InlineData(6, 257, 64, 0.9)]
    [InlineData(5, 16, 24, 0.8)]
    public void Sddmm_MatchesNaive_AndDenseGradientAtKeptPositions(int m, int n, int k, double density)
    {
        var rng = new Rng(Seed + 1);
        var s = new SparsePattern(m, k, Mask(rng, m, k, density));
        int lda = n + 2, ldb = n + 5;
        float[] a = KernelTestData.Uniform(rng, m * lda), b = KernelTestData.Uniform(rng, k * ldb), dw0 = KernelTestData.Uniform(rng, m * k);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] fast = (float[])dw0.Clone(), naive = (float[])dw0.Clone();
            SparseKernels.Sddmm(m, n, k, s.RowPtr, s.ColIdx, a, lda, b, ldb, fast, accumulate);
            SparseKernels.SddmmNaive(m, n, k, s.RowPtr, s.ColIdx, a, lda, b, ldb, naive, accumulate);
            TensorAssert.Close(naive, fast, atol: 1e-5f, rtol: 1e-4f, what: $"Sddmm accumulate={accumulate}");
        }

        // Without accumulation: A·Bᵀ at kept positions, exactly zero elsewhere.
        float[] full = new float[m * k], sampled = KernelTestData.Uniform(rng, m * k);
        Sgemm.GemmNaive(false, true, m, k, n, 1f, a, lda, b, ldb, 0f, full, k);
        SparseKernels.Sddmm(m, n, k, s.RowPtr, s.ColIdx, a, lda, b, ldb, sampled, false);
        float[] mask = new float[m * k];
        for (int i = 0; i < m; i++)
        {
            for (int p = s.RowPtr[i]; p < s.RowPtr[i + 1]; p++)
            {
                mask[i * k + s.ColIdx[p]] = 1f;
            }
        }

        for (int e = 0; e < full.Length; e++)
        {
            full[e] *= mask[e];
        }

        TensorAssert.Close(full, sampled, atol: 1e-5f, rtol: 1e-4f, what: "Sddmm vs masked dense gradient");
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(17, 33, true)]
    [InlineData(8, 8, true)]
    [InlineData(16, 40, true)]
    [InlineData(100, 784, true)]
    [InlineData(100, 784, false)]
    [InlineData(300, 100, true)]
    [InlineData(23, 70, true)]
    [InlineData(23, 70, false)]
    [InlineData(5, 24, false)]
    [InlineData(9, 16, true)]
    [InlineData(15, 8, false)]
    [InlineData(100, 100, false)]
    public void Transpose_MatchesDefinition(int rows, int cols, bool accumulate)
    {
        // rows % 8 ≠ 0 exercises the partial tiles; cols % 8 ≠ 0 the scalar columns.
        var rng = new Rng(Seed + 2);
        float[] src = KernelTestData.Uniform(rng, rows * cols), dst = KernelTestData.Uniform(rng, rows * cols), before = (float[])dst.Clone();
        SparseKernels.Transpose(rows, cols, src, dst, accumulate);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                Assert.Equal((accumulate ? before[j * rows + i] : 0f) + src[i * cols + j], dst[j * rows + i]);
            }
        }
    }

    [Theory]
    [InlineData(3, 5, 9, 7, 4, 3, 1, 1, 0.3)]
    [InlineData(2, 3, 8, 8, 6, 3, 2, 1, 0.5)]
    [InlineData(5, 16, 6, 6, 33, 3, 1, 0, 0.05)]
    [InlineData(4, 7, 5, 5, 3, 1, 1, 0, 0.4)]
    [InlineData(3, 4, 11, 11, 5, 3, 2, 1, 0.5)]
    [InlineData(2, 3, 13, 20, 4, 5, 1, 2, 0.6)]
    [InlineData(2, 6, 9, 9, 12, 1, 2, 0, 0.5)]
    [InlineData(2, 3, 20, 21, 5, 3, 1, 1, 0.4)]
    [InlineData(1, 2, 15, 33, 3, 3, 1, 0, 1.0)]
    [InlineData(2, 4, 10, 27, 6, 5, 1, 2, 0.3)]
    public void Conv2dSparse_MatchesDenseKernelsWithMaskedWeight(int n, int c, int h, int w, int o, int k, int stride, int pad, double density)
    {
        var rng = new Rng(Seed + 3);
        var g = new Conv2dGeometry(n, c, h, w, o, k, k, stride, stride, pad, pad);
        float[] x = KernelTestData.Uniform(rng, g.InputLength), weight = KernelTestData.Uniform(rng, g.WeightLength), bias = KernelTestData.Uniform(rng, o);
        float[] mask = Mask(rng, o, g.PatchLength, density);
        for (int e = 0; e < weight.Length; e++)
        {
            weight[e] *= mask[e];
        }

        var s = new SparsePattern(o, g.PatchLength, mask);
        s.Gather(weight);
        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        Conv2dKernels.ForwardNaive(g, x, weight, bias, yRef);
        {
            {
                Conv2dKernels.SparseForward(g, x, s, bias, y);
                TensorAssert.Close(yRef, y, atol: 1e-4f, rtol: 1e-4f, what: "sparse conv forward");

                float[] dy = KernelTestData.Uniform(rng, g.OutputLength), dx0 = KernelTestData.Uniform(rng, g.InputLength);
                float[] dx = (float[])dx0.Clone(), dxRef = (float[])dx0.Clone(), dw = KernelTestData.Uniform(rng, g.WeightLength), dwRef = new float[g.WeightLength];
                Conv2dKernels.BackwardInputNaive(g, dy, weight, dxRef, accumulate: true);
                Conv2dKernels.BackwardWeightNaive(g, dy, x, dwRef, default, accumulate: false);
                for (int e = 0; e < dwRef.Length; e++)
                {
                    dwRef[e] *= mask[e];
                }

                Conv2dKernels.SparseBackward(g, dy, x, s, dx, accumulateDx: true, dw, accumulateDw: false);
                TensorAssert.Close(dxRef, dx, atol: 1e-4f, rtol: 1e-4f, what: "sparse conv input gradient");
                TensorAssert.Close(dwRef, dw, atol: 1e-4f, rtol: 1e-4f, what: "sparse conv weight gradient");
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(8, 8, 8, false)]
    [InlineData(13, 37, 29, true)]
    [InlineData(300, 100, 784, true)]
    [InlineData(17, 9, 50, false)]
    [InlineData(24, 130, 45, true)]
    public void LinearForward_IsGatherSpMMTransposeAndBias_BitForBit(int m, int n, int k, bool withBias)
    {
        var rng = new Rng(Seed + 7);
        var s = new SparsePattern(m, k, Mask(rng, m, k, 0.2));
        float[] w = KernelTestData.Uniform(rng, m * k), xt = KernelTestData.Uniform(rng, k * n), bias = withBias ? KernelTestData.Uniform(rng, m) : [];
        s.GatherCsr(w);
        float[] yt = new float[m * n], expected = new float[n * m];
        SparseKernels.SpMM(m, n, k, s.RowPtr, s.ColIdx, s.CsrValues, xt, n, yt, n, false);
        SparseKernels.Transpose(m, n, yt, expected, false);
        for (int j = 0; j < n && withBias; j++)
        {
            for (int r = 0; r < m; r++)
            {
                expected[j * m + r] += bias[r];
            }
        }

        var values = new float[s.NonZeros];
        float[] yt2 = new float[m * n], y = KernelTestData.Uniform(rng, n * m);
        SparseKernels.LinearForward(m, n, k, s.RowPtr, s.ColIdx, w, values, xt, yt2, bias, y);
        TensorAssert.BitIdentical(s.CsrValues.ToArray(), values, what: "gathered values");
        TensorAssert.BitIdentical(expected, y, what: "Y = (S·Xᵀ)ᵀ + b");

        float[] naiveYt = new float[m * n], naive = new float[n * m];
        SparseKernels.SpMMNaive(m, n, s.RowPtr, s.ColIdx, s.CsrValues, xt, n, naiveYt, n, false);
        SparseKernels.Transpose(m, n, naiveYt, naive, false);
        for (int j = 0; j < n && withBias; j++)
        {
            for (int r = 0; r < m; r++)
            {
                naive[j * m + r] += bias[r];
            }
        }

        TensorAssert.Close(naive, y, atol: 1e-5f, rtol: 1e-4f, what: "against the naive twin");
    }

    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(8, 8, 8, true)]
    [InlineData(13, 37, 29, false)]
    [InlineData(300, 100, 784, true)]
    [InlineData(17, 9, 50, false)]
    [InlineData(24, 130, 45, true)]
    public void LinearInputGradient_IsCscCopySpMMAndTranspose_BitForBit(int m, int n, int k, bool accumulate)
    {
        var rng = new Rng(Seed + 9);
        var s = new SparsePattern(m, k, Mask(rng, m, k, 0.2));
        float[] gt = KernelTestData.Uniform(rng, m * n), dx0 = KernelTestData.Uniform(rng, n * k);
        s.Gather(KernelTestData.Uniform(rng, m * k));
        float[] dxt = new float[k * n], expected = (float[])dx0.Clone();
        SparseKernels.SpMM(k, n, m, s.ColPtr, s.RowIdx, s.CscValues, gt, n, dxt, n, false);
        SparseKernels.Transpose(k, n, dxt, expected, accumulate);

        var csc = new float[s.NonZeros];
        float[] dxt2 = new float[k * n], dx = (float[])dx0.Clone();
        SparseKernels.LinearInputGradient(m, n, k, s.ColPtr, s.RowIdx, s.CscToCsr, s.CsrValues, csc, gt, dxt2, dx, accumulate);
        TensorAssert.BitIdentical(s.CscValues.ToArray(), csc, what: "values copied to CSC order");
        TensorAssert.BitIdentical(expected, dx, what: $"dX = (Sᵀ·dYᵀ)ᵀ accumulate={accumulate}");
    }

    [Fact]
    public void LinearForward_RejectsABiasOfTheWrongLength()
    {
        var s = new SparsePattern(4, 3, new float[] { 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1 });
        var ex = Assert.Throws<ArgumentException>(() =>
            SparseKernels.LinearForward(4, 2, 3, s.RowPtr, s.ColIdx, new float[12], new float[s.NonZeros], new float[6], new float[8], new float[3], new float[8]));
        Assert.Contains("bias has 3 entries; expected M = 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sddmm_WithoutZeroFill_WritesOnlyKeptEntries()
    {
        var rng = new Rng(Seed + 8);
        const int m = 9, n = 40, k = 30;
        var s = new SparsePattern(m, k, Mask(rng, m, k, 0.4));
        float[] a = KernelTestData.Uniform(rng, m * n), b = KernelTestData.Uniform(rng, k * n), dw0 = KernelTestData.Uniform(rng, m * k);
        float[] zeroed = (float[])dw0.Clone(), kept = (float[])dw0.Clone();
        SparseKernels.Sddmm(m, n, k, s.RowPtr, s.ColIdx, a, n, b, n, zeroed, false);
        SparseKernels.Sddmm(m, n, k, s.RowPtr, s.ColIdx, a, n, b, n, kept, false, zeroOthers: false);
        for (int i = 0; i < m; i++)
        {
            var keptCols = s.ColIdx[s.RowPtr[i]..s.RowPtr[i + 1]].ToArray();
            for (int col = 0; col < k; col++)
            {
                float expected = keptCols.Contains(col) ? zeroed[i * k + col] : dw0[i * k + col];
                Assert.Equal(expected, kept[i * k + col]);
            }
        }
    }

    [Fact]
    public void AllSparseKernels_OneAndTwoThreads_AreBitIdentical()
    {
        var rng = new Rng(Seed + 4);
        const int m = 300, n = 100, k = 784;
        var s = new SparsePattern(m, k, Mask(rng, m, k, 0.05));
        s.Gather(KernelTestData.Uniform(rng, m * k));
        float[] b = KernelTestData.Uniform(rng, k * n), a = KernelTestData.Uniform(rng, m * n), dense = KernelTestData.Uniform(rng, m * k), bias = KernelTestData.Uniform(rng, m);
        var g = new Conv2dGeometry(8, 16, 12, 12, 32, 3, 3, 1, 1, 1, 1);
        var cs = new SparsePattern(g.O, g.PatchLength, Mask(rng, g.O, g.PatchLength, 0.1));
        cs.Gather(KernelTestData.Uniform(rng, g.WeightLength));
        float[] x = KernelTestData.Uniform(rng, g.InputLength), dy = KernelTestData.Uniform(rng, g.OutputLength);
        int saved = Parallelism.MaxThreads;
        try
        {
            var results = new List<float[][]>();
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                float[] c = new float[m * n], ct = new float[k * n], dw = new float[m * k];
                float[] y = new float[g.OutputLength], dx = new float[g.InputLength], cdw = new float[g.WeightLength];
                SparseKernels.SpMM(m, n, k, s.RowPtr, s.ColIdx, s.CsrValues, b, n, c, n, false);
                SparseKernels.SpMM(k, n, m, s.ColPtr, s.RowIdx, s.CscValues, a, n, ct, n, false);
                SparseKernels.Sddmm(m, n, k, s.RowPtr, s.ColIdx, a, n, b, n, dw, false);
                float[] lv = new float[s.NonZeros], lyt = new float[m * n], ly = new float[n * m];
                SparseKernels.LinearForward(m, n, k, s.RowPtr, s.ColIdx, dense, lv, b, lyt, bias, ly);
                float[] gv = new float[s.NonZeros], gxt = new float[k * n], gdx = new float[n * k];
                SparseKernels.LinearInputGradient(m, n, k, s.ColPtr, s.RowIdx, s.CscToCsr, s.CsrValues, gv, a, gxt, gdx, false);
                Conv2dKernels.SparseForward(g, x, cs, default, y);
                Conv2dKernels.SparseBackward(g, dy, x, cs, dx, false, cdw, false);
                results.Add([c, ct, dw, y, dx, cdw, ly, gdx]);
            }

            for (int r = 0; r < results[0].Length; r++)
            {
                TensorAssert.BitIdentical(results[0][r], results[1][r], what: $"result {r} with 1 vs 2 threads");
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
