namespace Winnow.Kernels;

/// <summary>
/// Kernels for a sparse weight S (M,K) held as a <see cref="SparsePattern"/> index plus its values,
/// times dense activations laid out "transposed" — one row per feature, the batch (Linear) or the
/// im2col columns (Conv2d) along the row — so the AVX2 loops run over the batch / pixel dimension
/// with contiguous loads and broadcast weights:
/// <list type="bullet">
/// <item><see cref="SpMM"/>: C (M,N) (+)= S (M,K) · B (K,N) — the forward pass with the CSR index,
/// and the input gradient Wᵀ·dY with the CSC index (the CSC of W is the CSR of Wᵀ).</item>
/// <item><see cref="Sddmm"/>: the weight gradient at kept positions only, a sampled dense–dense
/// product dW[i, col] = Σ_j A[i,j]·B[col,j], written into a dense (M,K) buffer (zeros elsewhere).</item>
/// </list>
/// Work is split over output rows (and column panels for <see cref="SpMM"/>); every output element is
/// summed by one thread in index order, so results are bit-identical for any
/// <see cref="Parallelism.MaxThreads"/>. Products use fused multiply-adds, so bits differ slightly
/// from the <c>*Naive</c> twins, which are the test oracles. Without AVX2 + FMA the naive loops run.
/// </summary>
/// <exception cref="ArgumentException">A size is negative, an index span does not fit, or a buffer is too short.</exception>
public static unsafe partial class SparseKernels
{
    /// <summary>Below this many multiply-adds a call runs on the calling thread.</summary>
    private const long SerialWork = 1 << 16;

    /// <summary>
    /// Below this many elements a transpose runs on the calling thread: it is bound by moving memory, and
    /// a second core first has to pull the source from the other core's cache (LeNet-300-100's 100×784
    /// input: 21 µs on one thread, 27 µs on two).
    /// </summary>
    private const long SerialTranspose = 1 << 18;

    /// <summary>Column panel of <see cref="SpMM"/> work items: wide enough to amortise a row's index reads.</summary>
    private const int PanelWidth = 256;

    // s: (M,K) as rowPtr (M+1), colIdx/values (nnz); b: (K,N) row stride ldb -> c: (M,N) row stride ldc
    /// <summary>
    /// C (M,N) = S·B, or C += S·B when <paramref name="accumulate"/>. S row i holds
    /// <c>values[p]</c> at column <c>colIdx[p]</c> for p in [rowPtr[i], rowPtr[i+1]).
    /// </summary>
    public static void SpMM(int m, int n, int k, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> values,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        CheckIndex(m, k, rowPtr, colIdx, values.Length);
        CheckMatrix("b", k, n, b.Length, ldb);
        CheckMatrix("c", m, n, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (!Sgemm.IsAccelerated)
        {
            SpMMNaive(m, n, rowPtr, colIdx, values, b, ldb, c, ldc, accumulate);
            return;
        }

        fixed (int* pr = rowPtr, pc = colIdx)
        fixed (float* pv = values, pb = b, pcc = c)
        {
            int panels = n <= PanelWidth + PanelWidth / 2 ? 1 : (n + PanelWidth - 1) / PanelWidth;
            var job = new SpMMJob(pr, pc, pv, pb, ldb, pcc, ldc, n, panels, accumulate);
            Parallelism.For(m * panels, job, parallel: (long)rowPtr[m] * n >= SerialWork);
        }
    }

    /// <summary>Output rows per work item of <see cref="LinearForward"/> (one 8×8 transpose tile tall).</summary>
    private const int RowBlock = 8;

    // w: (M,K) dense, s: (M,K) pattern, xt: (K,N) -> values: (nnz) = w at the kept positions, yt: (M,N) = S·xt, y: (N,M) = ytᵀ + bias
    /// <summary>
    /// The sparse Linear forward in one parallel pass over blocks of output rows: gathers the kept
    /// entries of the dense weight <paramref name="w"/> into <paramref name="values"/> (CSR order),
    /// computes Yᵀ = S·Xᵀ into <paramref name="yt"/> exactly as <see cref="SpMM"/> does, and writes
    /// Y = (Yᵀ)ᵀ + bias into <paramref name="y"/> (<paramref name="bias"/> empty for none). Each output
    /// is computed by one thread in index order: bit-identical to GatherCsr + SpMM + Transpose + bias
    /// for any thread count. With <paramref name="w"/> empty, <paramref name="values"/> already holds the
    /// kept weights (<see cref="SparseWeight.FreezeValues"/>) and is only read.
    /// </summary>
    public static void LinearForward(int m, int n, int k, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> w,
        Span<float> values, ReadOnlySpan<float> xt, Span<float> yt, ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckLinearForward("LinearForward", m, n, k, rowPtr, colIdx, w, values.Length, xt, yt, bias);
        CheckMatrix("y", n, m, y.Length, m);

        if (m == 0 || n == 0)
        {
            return;
        }

        if (!Sgemm.IsAccelerated)
        {
            GatherNaive(m, k, rowPtr, colIdx, w, values);
            SpMMNaive(m, n, rowPtr, colIdx, values, xt, n, yt, n, false);
            Transpose(m, n, yt, y, false);
            if (!bias.IsEmpty)
            {
                ElementwiseKernels.AddBiasRows(n, m, bias, y);
            }

            return;
        }

        fixed (int* pr = rowPtr, pc = colIdx)
        fixed (float* pw = w, pv = values, pxt = xt, pyt = yt, pbias = bias, py = y)
        {
            var job = new SpMMTransposedJob(pr, pc, w.IsEmpty ? null : pw, null, k, pv, pxt, n, pyt, bias.IsEmpty ? null : pbias, py, m, false);
            Parallelism.For((m + RowBlock - 1) / RowBlock, job, parallel: (long)rowPtr[m] * n >= SerialWork);
        }
    }

    // s: (M,K) pattern as CSC (colPtr K+1, rowIdx, cscToCsr), csrValues: (nnz), gt: (M,N) -> cscValues: (nnz), dxt: (K,N) = Sᵀ·gt, dx: (N,K) (+)= dxtᵀ
    /// <summary>
    /// The sparse Linear input gradient in one parallel pass over blocks of input features: copies the
    /// kept values into CSC order (<paramref name="cscValues"/>[q] = <paramref name="csrValues"/>[<paramref name="cscToCsr"/>[q]]),
    /// computes dXᵀ = Sᵀ·dYᵀ into <paramref name="dxt"/> exactly as <see cref="SpMM"/> over the CSC index
    /// does, and writes dX = (dXᵀ)ᵀ into <paramref name="dx"/> (added when <paramref name="accumulate"/>).
    /// Bit-identical to the unfused sequence for any thread count.
    /// </summary>
    public static void LinearInputGradient(int m, int n, int k, ReadOnlySpan<int> colPtr, ReadOnlySpan<int> rowIdx, ReadOnlySpan<int> cscToCsr,
        ReadOnlySpan<float> csrValues, Span<float> cscValues, ReadOnlySpan<float> gt, Span<float> dxt, Span<float> dx, bool accumulate)
    {
        CheckIndex(k, m, colPtr, rowIdx, cscValues.Length);
        if (cscToCsr.Length < colPtr[k] || csrValues.Length < colPtr[k])
        {
            throw new ArgumentException($"SparseKernels.LinearInputGradient: the CSC→CSR map ({cscToCsr.Length}) and the CSR values ({csrValues.Length}) need {colPtr[k]} entries.", nameof(cscToCsr));
        }

        CheckMatrix("gt", m, n, gt.Length, n);
        CheckMatrix("dxt", k, n, dxt.Length, n);
        CheckMatrix("dx", n, k, dx.Length, k);
        if (k == 0 || n == 0)
        {
            return;
        }

        if (!Sgemm.IsAccelerated)
        {
            for (int q = 0; q < colPtr[k]; q++)
            {
                cscValues[q] = csrValues[cscToCsr[q]];
            }

            SpMMNaive(k, n, colPtr, rowIdx, cscValues, gt, n, dxt, n, false);
            Transpose(k, n, dxt, dx, accumulate);
            return;
        }

        fixed (int* pc = colPtr, pr = rowIdx, pmap = cscToCsr)
        fixed (float* psrc = csrValues, pv = cscValues, pg = gt, pdxt = dxt, pdx = dx)
        {
            var job = new SpMMTransposedJob(pc, pr, psrc, pmap, m, pv, pg, n, pdxt, null, pdx, k, accumulate);
            Parallelism.For((k + RowBlock - 1) / RowBlock, job, parallel: (long)colPtr[k] * n >= SerialWork);
        }
    }

    // a: (M,N) row stride lda, b: (K,N) row stride ldb, s: (M,K) pattern -> dw: (M,K) dense, row stride k
    /// <summary>
    /// Sampled product: for every kept (i, col) of the pattern, dw[i·K + col] = Σ_j a[i,j]·b[col,j]
    /// (added when <paramref name="accumulate"/>); other entries of dw are set to zero, or left as
    /// they are when accumulating. With a = dYᵀ (out, batch) and b = Xᵀ (in, batch) this is the
    /// Linear weight gradient at the kept weights. <paramref name="zeroOthers"/> = false skips the
    /// zero-fill of the other entries (the caller knows they are zero already: a gradient buffer this
    /// kernel last wrote with the same pattern).
    /// </summary>
    public static void Sddmm(int m, int n, int k, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> dw, bool accumulate, bool zeroOthers = true)
    {
        CheckIndex(m, k, rowPtr, colIdx, colIdx.Length);
        CheckMatrix("a", m, n, a.Length, lda);
        CheckMatrix("b", k, n, b.Length, ldb);
        CheckMatrix("dw", m, k, dw.Length, k);
        if (m == 0 || k == 0)
        {
            return;
        }

        if (!Sgemm.IsAccelerated)
        {
            SddmmNaive(m, n, k, rowPtr, colIdx, a, lda, b, ldb, dw, accumulate);
            return;
        }

        fixed (int* pr = rowPtr, pc = colIdx)
        fixed (float* pa = a, pb = b, pd = dw)
        {
            var job = new SddmmJob(pr, pc, pa, lda, pb, ldb, pd, n, k, accumulate, zeroOthers);
            Parallelism.For(m, job, parallel: (long)rowPtr[m] * n >= SerialWork);
        }
    }

    // src: (R,C) row-major -> dst: (C,R) row-major
    /// <summary>dst[j,i] = src[i,j] (or += when <paramref name="accumulate"/>), in 8×8 blocks over rows of dst.</summary>
    public static void Transpose(int rows, int cols, ReadOnlySpan<float> src, Span<float> dst, bool accumulate)
    {
        CheckMatrix("src", rows, cols, src.Length, cols);
        CheckMatrix("dst", cols, rows, dst.Length, rows);
        if (rows == 0 || cols == 0)
        {
            return;
        }

        fixed (float* ps = src, pd = dst)
        {
            var job = new TransposeJob(ps, pd, rows, cols, accumulate);
            Parallelism.For((cols + TransposeJob.Block - 1) / TransposeJob.Block, job, parallel: (long)rows * cols >= SerialTranspose);
        }
    }

    /// <summary>The argument checks shared by the sparse Linear forwards (<paramref name="w"/> may be empty: values frozen).</summary>
    private static void CheckLinearForward(string kernel, int m, int n, int k, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> w,
        int values, ReadOnlySpan<float> xt, ReadOnlySpan<float> yt, ReadOnlySpan<float> bias)
    {
        CheckIndex(m, k, rowPtr, colIdx, values);
        if (!w.IsEmpty)
        {
            CheckMatrix("w", m, k, w.Length, k);
        }

        CheckMatrix("xt", k, n, xt.Length, n);
        CheckMatrix("yt", m, n, yt.Length, n);
        if (!bias.IsEmpty && bias.Length != m)
        {
            throw new ArgumentException($"SparseKernels.{kernel}: the bias has {bias.Length} entries; expected M = {m} (or none).", nameof(bias));
        }
    }

    // w: (M,K) dense (empty: nothing to gather) -> values: (nnz) in CSR order
    private static void GatherNaive(int m, int k, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> w, Span<float> values)
    {
        for (int r = 0; r < m && !w.IsEmpty; r++)
        {
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++)
            {
                values[p] = w[r * k + colIdx[p]];
            }
        }
    }

    private static void CheckIndex(int m, int k, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, int values)
    {
        if (m < 0 || k < 0)
        {
            throw new ArgumentException($"SparseKernels: sizes must be non-negative; got M={m}, K={k}.");
        }

        if (rowPtr.Length < m + 1 || rowPtr[0] != 0 || rowPtr[m] > colIdx.Length || rowPtr[m] > values)
        {
            throw new ArgumentException($"SparseKernels: the row index must have M+1 = {m + 1} increasing starts from 0 within {colIdx.Length} column indices and {values} values; got {rowPtr.Length} starts ending at {(rowPtr.Length > m ? rowPtr[m] : -1)}.");
        }
    }

    private static void CheckMatrix(string name, int rows, int cols, int length, int ld)
    {
        if (rows < 0 || cols < 0 || ld < cols)
        {
            throw new ArgumentException($"SparseKernels: {name} is ({rows}, {cols}) with row stride {ld}; sizes must be non-negative and the stride at least the row length.", name);
        }

        if (rows > 0 && cols > 0 && (long)(rows - 1) * ld + cols > length)
        {
            throw new ArgumentException($"SparseKernels: {name} ({rows}, {cols}) with row stride {ld} needs {(long)(rows - 1) * ld + cols} floats; got {length}.", name);
        }
    }
}
