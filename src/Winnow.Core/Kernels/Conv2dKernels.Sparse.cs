namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    /// <summary>Target workspace floats per chunk of the sparse path ((2·C·KH·KW + O)·Nb·OH·OW): large, so small maps do not pay a parallel dispatch per few samples (rows are streamed, not cached).</summary>
    internal static int SparseChunkBudgetFloats { get; set; } = 1 << 20;

    [ThreadStatic] private static float[]? t_sparseWorkspace;

    // x: (N,C,H,W), w: pattern of (O, C·KH·KW) with gathered values, bias: (O) or empty -> y: (N,O,OH,OW)
    /// <summary>
    /// Convolution with a sparse weight: per chunk of samples, im2col into col (C·KH·KW, Nb·OH·OW),
    /// then <see cref="SparseKernels.SpMM"/> with the CSR index (vectorised over the chunk's pixels),
    /// then scatter with the bias. Call <see cref="SparsePattern.Gather"/> on the weight first. Equals
    /// <see cref="Forward"/> with the weight W ⊙ mask, up to summation order. Overwrites y.
    /// </summary>
    public static void SparseForward(in Conv2dGeometry g, ReadOnlySpan<float> x, SparsePattern w, ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckPattern(g, w);
        CheckLength(g, x.Length, "x", g.InputLength);
        CheckLength(g, y.Length, "y", g.OutputLength);
        CheckOptional(g, bias.Length, "bias");
        int k = g.PatchLength, p = g.OH * g.OW, chunk = SparseChunkSamples(g);
        float[] ws = Grow(ref t_sparseWorkspace, ((long)k + g.O) * chunk * p);
        fixed (float* px = x, pb = bias, py = y, pws = ws)
        {
            float* col = pws, tmp = pws + (long)k * chunk * p;
            for (int n0 = 0; n0 < g.N; n0 += chunk)
            {
                int nb = Math.Min(chunk, g.N - n0), cols = nb * p;
                Job.Run(JobKind.Im2Col, g, px, col, null, n0, nb, false, parallel: true);
                SparseKernels.SpMM(g.O, cols, k, w.RowPtr, w.ColIdx, w.CsrValues,
                    new ReadOnlySpan<float>(col, k * cols), cols, new Span<float>(tmp, g.O * cols), cols, false);
                Job.Run(JobKind.ScatterOutput, g, tmp, py, bias.IsEmpty ? null : pb, n0, nb, false, parallel: true);
            }
        }
    }

    // dy: (N,O,OH,OW), x: (N,C,H,W), w: pattern with gathered values -> dx: (N,C,H,W) and/or dw: (O,C,KH,KW) at kept positions
    /// <summary>
    /// Backward of <see cref="SparseForward"/>: the input gradient dx (+)= Wᵀ·dy through the CSC index
    /// (skipped when <paramref name="dx"/> is empty) and the weight gradient at the kept positions only
    /// (<see cref="SparseKernels.Sddmm"/>; zeros elsewhere unless accumulating; skipped when
    /// <paramref name="dw"/> is empty). Chunks run in order, so dw's sums have a fixed order.
    /// </summary>
    public static void SparseBackward(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, SparsePattern w,
        Span<float> dx, bool accumulateDx, Span<float> dw, bool accumulateDw)
    {
        CheckPattern(g, w);
        CheckLength(g, dy.Length, "dy", g.OutputLength);
        CheckLength(g, x.Length, "x", g.InputLength);
        bool wantDx = !dx.IsEmpty, wantDw = !dw.IsEmpty;
        if (wantDx)
        {
            CheckLength(g, dx.Length, "dx", g.InputLength);
        }

        if (wantDw)
        {
            CheckLength(g, dw.Length, "dw", g.WeightLength);
        }

        int k = g.PatchLength, p = g.OH * g.OW, chunk = SparseChunkSamples(g);
        float[] ws = Grow(ref t_sparseWorkspace, (2L * k + g.O) * chunk * p);
        fixed (float* pdy = dy, px = x, pdx = dx, pdw = dw, pws = ws)
        {
            float* dyp = pws, col = pws + (long)g.O * chunk * p, dcol = col + (long)k * chunk * p;
            for (int n0 = 0; n0 < g.N; n0 += chunk)
            {
                int nb = Math.Min(chunk, g.N - n0), cols = nb * p;
                Job.Run(JobKind.GatherGrad, g, pdy, dyp, null, n0, nb, false, parallel: true);
                var dypSpan = new ReadOnlySpan<float>(dyp, g.O * cols);
                if (wantDx)
                {
                    SparseKernels.SpMM(k, cols, g.O, w.ColPtr, w.RowIdx, w.CscValues, dypSpan, cols, new Span<float>(dcol, k * cols), cols, false);
                    Job.Run(JobKind.Col2Im, g, dcol, pdx, null, n0, nb, accumulateDx, parallel: true);
                }

                if (wantDw)
                {
                    Job.Run(JobKind.Im2Col, g, px, col, null, n0, nb, false, parallel: true);
                    SparseKernels.Sddmm(g.O, cols, k, w.RowPtr, w.ColIdx, dypSpan, cols,
                        new ReadOnlySpan<float>(col, k * cols), cols, new Span<float>(pdw, g.WeightLength), accumulateDw || n0 > 0);
                }
            }
        }
    }

    /// <summary>Samples per chunk of the sparse path: a function of the geometry only.</summary>
    private static int SparseChunkSamples(in Conv2dGeometry g)
    {
        long perSample = (2L * g.PatchLength + g.O) * g.OH * g.OW;
        return (int)Math.Clamp(SparseChunkBudgetFloats / perSample, 1, g.N);
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
