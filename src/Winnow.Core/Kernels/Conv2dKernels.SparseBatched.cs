namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    [ThreadStatic] private static float[]? t_batchedA;
    [ThreadStatic] private static float[]? t_batchedB;
    [ThreadStatic] private static float[]? t_batchedC;

    // x: (N,C,H,W), w: pattern of (O, C·KH·KW) with gathered values, bias: (O) or empty -> y: (N,O,OH,OW)
    /// <summary>
    /// Direct sparse convolution with the batch innermost, for maps too small for the per-plane path
    /// (LeNet-5's 8×8 outputs, VGG-16's 8×8, 4×4 and 2×2 layers; any stride is exact, but
    /// <see cref="SparseIsFast"/> keeps strided layers dense, where this kernel measured slower):
    /// x is transposed to xᵀ (C·H·W, N), then every output pixel (o, oh, ow) sums its kept taps as
    /// broadcast weight × a contiguous row of N samples (AVX2 along the batch), and yᵀ (O·OH·OW, N) is
    /// transposed back. Works for any stride and padding; the cost is two transposes plus the kept
    /// multiply-adds, independent of the map size. One thread per output channel, taps in CSR order:
    /// bit-identical for any thread count. Call <see cref="SparsePattern.Gather"/> first. Overwrites y.
    /// </summary>
    /// <exception cref="ArgumentException">A span length or the pattern shape does not fit the geometry.</exception>
    public static void SparseForwardBatched(in Conv2dGeometry g, ReadOnlySpan<float> x, SparsePattern w, ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckSparseForward(g, x, y, bias, w);
        int chw = g.InputLength / g.N, ohw = g.OutputLength / g.N;
        float[] xt = Grow(ref t_batchedA, g.InputLength), yt = Grow(ref t_batchedB, g.OutputLength);
        SparseKernels.Transpose(g.N, chw, x, xt.AsSpan(0, g.InputLength), false);
        fixed (float* pxt = xt, pyt = yt, pb = bias, pv = w.CsrValues)
        fixed (int* rp = w.RowPtr, ci = w.ColIdx)
        {
            var job = new BatchedJob(g, BatchedJob.Kind.Forward, pxt, null, pyt, pb, rp, ci, pv, false);
            Parallelism.For(g.O, job, BatchedParallel(g, w));
        }

        SparseKernels.Transpose(ohw, g.N, yt.AsSpan(0, g.OutputLength), y, false);
    }

    // dy: (N,O,OH,OW), x: (N,C,H,W), w: pattern with gathered values -> dx: (N,C,H,W) and/or dw: (O,C,KH,KW) at kept positions
    /// <summary>
    /// Backward of <see cref="SparseForwardBatched"/>, in the same batch-innermost layout: the input
    /// gradient dx (+)= Wᵀ ⋆ dy gathers, per input pixel, the kept taps that reach it (CSC order; one
    /// thread per input channel; skipped when <paramref name="dx"/> is empty), and the weight gradient
    /// at the kept positions only (zeros elsewhere unless accumulating) is one dot product over pixels
    /// and samples per kept weight (one thread per output channel; skipped when <paramref name="dw"/> is
    /// empty). Bit-identical for any thread count.
    /// </summary>
    /// <exception cref="ArgumentException">A span length or the pattern shape does not fit the geometry.</exception>
    public static void SparseBackwardBatched(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, SparsePattern w,
        Span<float> dx, bool accumulateDx, Span<float> dw, bool accumulateDw)
    {
        CheckSparseBackward(g, dy, x, w, dx, dw);

        if (dx.IsEmpty && dw.IsEmpty)
        {
            return;
        }

        int chw = g.InputLength / g.N, ohw = g.OutputLength / g.N;
        float[] dyt = Grow(ref t_batchedB, g.OutputLength), xt = Grow(ref t_batchedA, g.InputLength);
        SparseKernels.Transpose(g.N, ohw, dy, dyt.AsSpan(0, g.OutputLength), false);
        bool parallel = BatchedParallel(g, w);
        fixed (float* pdyt = dyt, pxt = xt, pdw = dw, pv = w.CsrValues, pcv = w.CscValues)
        fixed (int* rp = w.RowPtr, ci = w.ColIdx, cp = w.ColPtr, ri = w.RowIdx)
        {
            if (!dx.IsEmpty)
            {
                float[] dxt = Grow(ref t_batchedC, g.InputLength);
                fixed (float* pdxt = dxt)
                {
                    var job = new BatchedJob(g, BatchedJob.Kind.InputGrad, pdyt, null, pdxt, null, cp, ri, pcv, false);
                    Parallelism.For(g.C, job, parallel);
                }

                SparseKernels.Transpose(chw, g.N, dxt.AsSpan(0, g.InputLength), dx, accumulateDx);
            }

            if (!dw.IsEmpty)
            {
                SparseKernels.Transpose(g.N, chw, x, xt.AsSpan(0, g.InputLength), false);
                var job = new BatchedJob(g, BatchedJob.Kind.WeightGrad, pdyt, pxt, pdw, null, rp, ci, null, accumulateDw);
                Parallelism.For(g.O, job, parallel);
            }
        }
    }

    private static bool BatchedParallel(in Conv2dGeometry g, SparsePattern w) =>
        (long)g.N * g.OH * g.OW * Math.Max(w.NonZeros, g.O) >= 1 << 15;
}
