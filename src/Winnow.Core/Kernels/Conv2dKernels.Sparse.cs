namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    /// <summary>Weight-gradient work items own this many output channels, so a sample's planes are reused across them from cache.</summary>
    private const int SparseGradRowBlock = 8;

    // x: (N,C,H,W), w: pattern of (O, C·KH·KW) with gathered values, bias: (O) or empty -> y: (N,O,OH,OW)
    /// <summary>
    /// Direct sparse convolution: for every output plane (n, o) and every kept weight (c, kh, kw) of
    /// row o, y[n,o] += w · (the shifted window of x[n,c]) — rows of the plane vectorised along the
    /// width (stride 1). No im2col: at low density unrolling the input would cost more than the
    /// products. Call <see cref="SparsePattern.Gather"/> on the weight first. Equals
    /// <see cref="Forward"/> with the weight W ⊙ mask up to summation order (each output sums its kept
    /// weights in index order, one thread per plane). Overwrites y.
    /// </summary>
    public static void SparseForward(in Conv2dGeometry g, ReadOnlySpan<float> x, SparsePattern w, ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckSparseForward(g, x, y, bias, w);
        if (UsePadded(g))
        {
            int[] taps = ForwardTaps(g, w);
            fixed (float* px = x, pb = bias, py = y, pv = w.CsrValues)
            fixed (int* rp = w.RowPtr, pt = taps)
            {
                var padded = new PaddedJob(g, false, px, py, bias.IsEmpty ? null : pb, rp, pt, pv, w.NonZeros, false);
                Parallelism.For(g.N, padded, parallel: (long)g.N * g.OH * g.OW * Math.Max(w.NonZeros, g.O) >= 1 << 15);
            }

            return;
        }

        if (UseBatched(g))
        {
            SparseForwardBatched(g, x, w, bias, y);
            return;
        }

        fixed (float* px = x, pb = bias, py = y)
        fixed (int* rp = w.RowPtr, ci = w.ColIdx)
        fixed (float* pv = w.CsrValues)
        {
            var job = new SparseConvJob(g, SparseConvJob.Kind.Forward, px, py, pb, null, rp, ci, pv, false);
            Parallelism.For(g.N * g.O, job, parallel: (long)g.N * g.OH * g.OW * Math.Max(w.NonZeros, g.O) >= 1 << 15);
        }
    }

    // dy: (N,O,OH,OW), x: (N,C,H,W), w: pattern with gathered values -> dx: (N,C,H,W) and/or dw: (O,C,KH,KW) at kept positions
    /// <summary>
    /// Backward of <see cref="SparseForward"/>: the input gradient dx (+)= Wᵀ ⋆ dy through the CSC index,
    /// one thread per input plane (n, c) (skipped when <paramref name="dx"/> is empty), and the weight
    /// gradient at the kept positions only, zeros elsewhere unless accumulating (skipped when
    /// <paramref name="dw"/> is empty): each kept weight sums its window products over samples in order,
    /// one thread per block of output channels.
    /// </summary>
    public static void SparseBackward(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, SparsePattern w,
        Span<float> dx, bool accumulateDx, Span<float> dw, bool accumulateDw)
    {
        CheckSparseBackward(g, dy, x, w, dx, dw);

        if (UseBatched(g))
        {
            SparseBackwardBatched(g, dy, x, w, dx, accumulateDx, dw, accumulateDw);
            return;
        }

        bool parallel = (long)g.N * g.OH * g.OW * Math.Max(w.NonZeros, g.O) >= 1 << 15;
        fixed (float* pdy = dy, px = x, pdx = dx, pdw = dw)
        fixed (int* rp = w.RowPtr, ci = w.ColIdx, cp = w.ColPtr, ri = w.RowIdx)
        fixed (float* pv = w.CsrValues, pcv = w.CscValues)
        {
            if (!dx.IsEmpty && UsePadded(g))
            {
                var (taps, ptr) = InputGradTaps(g, w);
                fixed (int* pt = taps, pp = ptr)
                {
                    var padded = new PaddedJob(g, true, pdy, pdx, null, pp, pt, pcv, w.NonZeros, accumulateDx);
                    Parallelism.For(g.N, padded, parallel);
                }
            }
            else if (!dx.IsEmpty)
            {
                var job = new SparseConvJob(g, SparseConvJob.Kind.InputGrad, pdy, pdx, null, null, cp, ri, pcv, accumulateDx);
                Parallelism.For(g.N * g.C, job, parallel);
            }

            if (!dw.IsEmpty && UsePadded(g))
            {
                PaddedWeightGradient(g, pdy, px, pdw, rp, ci, accumulateDw, parallel);
            }
            else if (!dw.IsEmpty)
            {
                var job = new SparseConvJob(g, SparseConvJob.Kind.WeightGrad, pdy, pdw, null, px, rp, ci, null, accumulateDw);
                Parallelism.For((g.O + SparseGradRowBlock - 1) / SparseGradRowBlock, job, parallel);
            }
        }
    }

    /// <summary>The span and pattern checks shared by every sparse forward path.</summary>
    private static void CheckSparseForward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> bias, SparsePattern w)
    {
        CheckPattern(g, w);
        CheckLength(g, x.Length, "x", g.InputLength);
        CheckLength(g, y.Length, "y", g.OutputLength);
        CheckOptional(g, bias.Length, "bias");
    }

    /// <summary>The span and pattern checks shared by every sparse backward path (dx and dw optional).</summary>
    private static void CheckSparseBackward(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, SparsePattern w, ReadOnlySpan<float> dx, ReadOnlySpan<float> dw)
    {
        CheckPattern(g, w);
        CheckLength(g, dy.Length, "dy", g.OutputLength);
        CheckLength(g, x.Length, "x", g.InputLength);
        if (!dx.IsEmpty)
        {
            CheckLength(g, dx.Length, "dx", g.InputLength);
        }

        if (!dw.IsEmpty)
        {
            CheckLength(g, dw.Length, "dw", g.WeightLength);
        }
    }

    private static void CheckPattern(in Conv2dGeometry g, SparsePattern w)
    {
        ArgumentNullException.ThrowIfNull(w);
        g.Validate();
        if (w.Rows != g.O || w.Cols != g.PatchLength)
        {
            throw new ArgumentException($"Conv2d sparse weight pattern is ({w.Rows}, {w.Cols}); expected (O, C·KH·KW) = ({g.O}, {g.PatchLength}) for geometry {g}.", nameof(w));
        }
    }
}
