namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    [ThreadStatic] private static int[]? t_convTaps;
    [ThreadStatic] private static int[]? t_convPtr;

    /// <summary>
    /// Whether the sparse convolution has a fast path for this geometry: stride 1 with output maps of at
    /// most 8×8 or narrower than 8 (LeNet-5's second conv, VGG-16's 8×8, 4×4 and 2×2 layers) take the
    /// batch-innermost path; larger stride-1 maps the per-plane register-blocked path. Strided layers
    /// (WRN/ResNet downsampling) stay dense: the batch-innermost kernel handles them exactly but measured
    /// 2–3× slower than the dense GEMM there (docs/sparse-execution.md), so
    /// <see cref="Ops.Conv2d(Tensor, Tensor, Tensor?, int, int, int, int, SparseWeight?)"/> runs those dense.
    /// </summary>
    public static bool SparseIsFast(in Conv2dGeometry g) => UsePadded(g) || UseBatched(g);

    /// <summary>
    /// Whether the batch-innermost path is used: stride 1, a batch that fills a vector, and maps of at
    /// most 64 outputs or too narrow for the per-plane path. On ≤ 8×8 maps it measured faster than the
    /// per-plane path in all three passes (the per-plane path pays per-plane set-up for little work).
    /// </summary>
    private static bool UseBatched(in Conv2dGeometry g) =>
        Sgemm.IsAccelerated && g.StrideH == 1 && g.StrideW == 1 && g.N >= 8 && (g.OH * g.OW <= 64 || !PaddedFits(g));

    /// <summary>Whether the padded whole-sample path is used: it fits the geometry and the batch-innermost path is not chosen.</summary>
    private static bool UsePadded(in Conv2dGeometry g) => PaddedFits(g) && !UseBatched(g);

    /// <summary>Whether the padded whole-sample path can run: stride 1, outputs at least a vector wide, padding within the kernel.</summary>
    private static bool PaddedFits(in Conv2dGeometry g) =>
        Sgemm.IsAccelerated && g.StrideH == 1 && g.StrideW == 1 && g.OW >= 8 && g.W >= 8 && g.PadH <= g.KH - 1 && g.PadW <= g.KW - 1;

    /// <summary>Forward taps (c, kh − padH, kw − padW) in CSR order, into the calling thread's buffer.</summary>
    private static int[] ForwardTaps(in Conv2dGeometry g, SparsePattern w)
    {
        int kk = g.KH * g.KW;
        int[] taps = GrowInts(ref t_convTaps, 3 * w.NonZeros);
        var ci = w.ColIdx;
        for (int q = 0; q < ci.Length; q++)
        {
            int col = ci[q], c = col / kk, r = col - c * kk, kh = r / g.KW;
            (taps[3 * q], taps[3 * q + 1], taps[3 * q + 2]) = (c, kh - g.PadH, r - kh * g.KW - g.PadW);
        }

        return taps;
    }

    /// <summary>Input-gradient taps (o, padH − kh, padW − kw) in CSC order, and per input channel c the start of its columns.</summary>
    private static (int[] Taps, int[] Ptr) InputGradTaps(in Conv2dGeometry g, SparsePattern w)
    {
        int kk = g.KH * g.KW;
        int[] taps = GrowInts(ref t_convTaps, 3 * w.NonZeros), ptr = GrowInts(ref t_convPtr, g.C + 1);
        var cp = w.ColPtr;
        var ri = w.RowIdx;
        for (int col = 0; col < g.PatchLength; col++)
        {
            int r = col % kk, kh = r / g.KW, kw = r - kh * g.KW;
            for (int q = cp[col]; q < cp[col + 1]; q++)
            {
                (taps[3 * q], taps[3 * q + 1], taps[3 * q + 2]) = (ri[q], g.PadH - kh, g.PadW - kw);
            }
        }

        for (int c = 0; c <= g.C; c++)
        {
            ptr[c] = cp[c * kk];
        }

        return (taps, ptr);
    }

    private static int[] GrowInts(ref int[]? buffer, int needed)
    {
        if (buffer is null || buffer.Length < needed)
        {
            buffer = new int[Math.Max(needed, 1)];
        }

        return buffer;
    }

    [ThreadStatic] private static float[]? t_paddedBatch;

    /// <summary>
    /// The weight gradient at kept positions on the padded path: x is zero-padded once for the whole batch
    /// (in place when the convolution has no padding), then each block of output channels reads it, so
    /// the copy is not repeated per block.
    /// </summary>
    private static void PaddedWeightGradient(in Conv2dGeometry g, float* dy, float* x, float* dw, int* rowPtr, int* colIdx, bool accumulate, bool parallel)
    {
        int blocks = (g.O + SparseGradRowBlock - 1) / SparseGradRowBlock;
        if (g.PadH == 0 && g.PadW == 0)
        {
            Parallelism.For(blocks, new SparseConvJob(g, SparseConvJob.Kind.WeightGrad, dy, dw, null, x, rowPtr, colIdx, null, accumulate), parallel);
            return;
        }

        long padded = (long)g.N * g.C * (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW);
        fixed (float* pp = Grow(ref t_paddedBatch, padded))
        {
            Parallelism.For(g.N, new PadSamplesJob(g, x, pp), parallel);
            Parallelism.For(blocks, new SparseConvJob(g, SparseConvJob.Kind.WeightGrad, dy, dw, null, pp, rowPtr, colIdx, null, accumulate), parallel);
        }
    }

    /// <summary>One item = one sample: its C planes copied into (H + 2·padH) × (W + 2·padW) planes with zero borders (<see cref="PadPlanes"/>).</summary>
    private readonly struct PadSamplesJob(Conv2dGeometry g, float* x, float* dst) : IParallelJob
    {
        public void Item(int n)
        {
            int ph = g.H + 2 * g.PadH, pwid = g.W + 2 * g.PadW;
            PadPlanes(x + (long)n * g.C * g.H * g.W, g.C, g.H, g.W, dst + (long)n * g.C * ph * pwid, ph, pwid, g.PadH, g.PadW);
        }
    }

    /// <summary>
    /// Copies <paramref name="planes"/> contiguous srcH × srcW planes into ph × pwid planes at (padTop, padLeft),
    /// zeros around them; every element of the destination is written once (no clearing pass first).
    /// </summary>
    private static void PadPlanes(float* src, int planes, int srcH, int srcW, float* dst, int ph, int pwid, int padTop, int padLeft)
    {
        long pplane = (long)ph * pwid;
        for (int c = 0; c < planes; c++)
        {
            float* s = src + (long)c * srcH * srcW, d = dst + c * pplane;
            new Span<float>(d, padTop * pwid + padLeft).Clear();
            for (int r = 0; r < srcH; r++)
            {
                long end = (long)(r + padTop) * pwid + padLeft + srcW;
                new ReadOnlySpan<float>(s + (long)r * srcW, srcW).CopyTo(new Span<float>(d + end - srcW, srcW));
                new Span<float>(d + end, (int)(r + 1 < srcH ? pwid - srcW : pplane - end)).Clear();
            }
        }
    }

    /// <summary>One item = one sample: its padded source planes, then every output plane of the sample.</summary>
    private readonly struct PaddedJob(Conv2dGeometry g, bool inputGrad, float* src, float* dst, float* bias, int* ptr, int* taps, float* values, int nnz, bool accumulate)
        : IParallelJob
    {
        public void Item(int n)
        {
            int p = g.OH * g.OW, plane = g.H * g.W;
            var tapSpan = new ReadOnlySpan<int>(taps, 3 * nnz);
            var valSpan = new ReadOnlySpan<float>(values, nnz);
            if (!inputGrad)
            {
                // Each output plane starts at its bias inside the register passes: no separate fill pass.
                PaddedSample(dst + (long)n * g.O * p, g.O, g.OH, g.OW, src + (long)n * g.C * plane, g.C, g.H, g.W, g.PadH, g.PadW, g.KH, g.KW,
                    new ReadOnlySpan<int>(ptr, g.O + 1), tapSpan, valSpan, overwrite: true, init: bias);
                return;
            }

            PaddedSample(dst + (long)n * g.C * plane, g.C, g.H, g.W, src + (long)n * g.O * p, g.O, g.OH, g.OW, g.KH - 1 - g.PadH, g.KW - 1 - g.PadW, g.KH, g.KW,
                new ReadOnlySpan<int>(ptr, g.C + 1), tapSpan, valSpan, overwrite: !accumulate);
        }
    }
}
