namespace Winnow.Kernels;

/// <summary>
/// 2-D convolution kernels with PyTorch conv2d semantics: cross-correlation, zero padding, NCHW
/// layout, weight (O,C,KH,KW), groups = 1, dilation = 1.
/// y[n,o,i,j] = bias[o] + Σ_{c,kh,kw} x[n,c,i·sH−pH+kh, j·sW−pW+kw] · w[o,c,kh,kw] (x = 0 outside).
/// <para>
/// Fast path: a chunk of samples is unrolled by im2col into a (C·KH·KW, Nb·OH·OW) matrix so the
/// whole chunk is one SGEMM (small feature maps would otherwise give GEMMs a few columns wide);
/// 1×1 stride-1 unpadded convolutions with large maps skip im2col and run one SGEMM per sample on
/// x and y directly. Chunk sizes depend only on the geometry, and every output element is written
/// by one thread with a fixed summation order, so results are bit-identical for any
/// <see cref="Parallelism.MaxThreads"/>. Threading lives in <see cref="Sgemm"/> and in the
/// data-movement passes, never nested.
/// </para>
/// <para>The <c>*Naive</c> twins are direct loops and serve as the test oracle.</para>
/// </summary>
/// <exception cref="ArgumentException">Invalid geometry or a span whose length does not match it.</exception>
public static unsafe partial class Conv2dKernels
{
    /// <summary>
    /// Target workspace floats per chunk ((C·KH·KW + O) · Nb · OH · OW): small enough that the
    /// im2col matrix a chunk writes is still in cache when SGEMM packs it. Internal and settable
    /// only so tests and benchmarks can force other chunkings.
    /// </summary>
    internal static int ChunkBudgetFloats { get; set; } = 1 << 19;

    /// <summary>
    /// Fewest GEMM columns (Nb · OH · OW) per chunk, even beyond the budget: small feature maps with
    /// big weights (VGG's 512×4608 at 4×4 and 2×2) would otherwise repack the weights every few columns.
    /// </summary>
    internal static int MinChunkColumns { get; set; } = 512;

    /// <summary>Hard cap on workspace floats per chunk (64 MB), unless one sample needs more.</summary>
    private const long MaxChunkFloats = 1L << 24;

    /// <summary>1×1 convolutions with at least this many output pixels per sample skip im2col.</summary>
    private const int PointwiseMinPixels = 64;

    [ThreadStatic] private static float[]? t_workspace;

    // x: (N,C,H,W), w: (O,C,KH,KW), bias: (O) or empty -> y: (N,O,OH,OW)
    /// <summary>Convolution forward pass; <paramref name="bias"/> empty means no bias. Overwrites y.</summary>
    public static void Forward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckSpans(g, x, "x", g.InputLength, w, y, "y", g.OutputLength);
        CheckOptional(g, bias.Length, "bias");
        int p = g.OH * g.OW, k = g.PatchLength;
        if (IsPointwise(g))
        {
            for (int n = 0; n < g.N; n++)
            {
                Span<float> yn = y.Slice(n * g.O * p, g.O * p);
                if (!bias.IsEmpty)
                {
                    for (int o = 0; o < g.O; o++)
                    {
                        yn.Slice(o * p, p).Fill(bias[o]);
                    }
                }

                Sgemm.Gemm(false, false, g.O, p, g.C, 1f, w, g.C, x.Slice(n * g.C * p, g.C * p), p, bias.IsEmpty ? 0f : 1f, yn, p);
            }

            return;
        }

        int chunk = ChunkSamples(g);
        float[] ws = Workspace(g, chunk);
        fixed (float* px = x, pb = bias, py = y, pws = ws)
        {
            for (int n0 = 0; n0 < g.N; n0 += chunk)
            {
                int nb = Math.Min(chunk, g.N - n0), cols = nb * p;
                float* col = pws, tmp = pws + (long)k * cols;
                Job.Run(JobKind.Im2Col, g, px, col, null, n0, nb, false);
                Sgemm.Gemm(false, false, g.O, cols, k, 1f, w, k, new ReadOnlySpan<float>(col, k * cols), cols, 0f, new Span<float>(tmp, g.O * cols), cols);
                Job.Run(JobKind.ScatterOutput, g, tmp, py, pb, n0, nb, false);
            }
        }
    }

    // dy: (N,O,OH,OW), w: (O,C,KH,KW) -> dx: (N,C,H,W)
    /// <summary>Gradient with respect to x. <paramref name="accumulate"/> adds into dx instead of overwriting it.</summary>
    public static void BackwardInput(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx, bool accumulate)
    {
        CheckSpans(g, dy, "dy", g.OutputLength, w, dx, "dx", g.InputLength);
        int p = g.OH * g.OW, k = g.PatchLength;
        if (IsPointwise(g))
        {
            for (int n = 0; n < g.N; n++)
            {
                Sgemm.Gemm(true, false, g.C, p, g.O, 1f, w, g.C, dy.Slice(n * g.O * p, g.O * p), p, accumulate ? 1f : 0f, dx.Slice(n * g.C * p, g.C * p), p);
            }

            return;
        }

        int chunk = ChunkSamples(g);
        float[] ws = Workspace(g, chunk);
        fixed (float* pdy = dy, pdx = dx, pws = ws)
        {
            for (int n0 = 0; n0 < g.N; n0 += chunk)
            {
                int nb = Math.Min(chunk, g.N - n0), cols = nb * p;
                float* dcol = pws, dyp = pws + (long)k * cols;
                Job.Run(JobKind.GatherGrad, g, pdy, dyp, null, n0, nb, false);
                Sgemm.Gemm(true, false, k, cols, g.O, 1f, w, k, new ReadOnlySpan<float>(dyp, g.O * cols), cols, 0f, new Span<float>(dcol, k * cols), cols);
                Job.Run(JobKind.Col2Im, g, dcol, pdx, null, n0, nb, accumulate);
            }
        }
    }

    // dy: (N,O,OH,OW), x: (N,C,H,W) -> dw: (O,C,KH,KW), dbias: (O) or empty
    /// <summary>
    /// Gradients with respect to w and (unless <paramref name="dbias"/> is empty) the bias.
    /// Sums over the batch run in sample order, chunk by chunk, independent of the thread count.
    /// <paramref name="accumulate"/> adds into dw and dbias instead of overwriting them.
    /// </summary>
    public static void BackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dw, Span<float> dbias, bool accumulate)
    {
        CheckSpans(g, dy, "dy", g.OutputLength, dw, x, "x", g.InputLength, weightName: "dw");
        CheckOptional(g, dbias.Length, "dbias");
        int p = g.OH * g.OW, k = g.PatchLength;
        fixed (float* pdy = dy, pdb = dbias)
        {
            if (!dbias.IsEmpty)
            {
                Job.Run(JobKind.BiasGrad, g, pdy, pdb, null, 0, g.N, accumulate);
            }
        }

        if (IsPointwise(g))
        {
            for (int n = 0; n < g.N; n++)
            {
                float beta = n == 0 && !accumulate ? 0f : 1f;
                Sgemm.Gemm(false, true, g.O, g.C, p, 1f, dy.Slice(n * g.O * p, g.O * p), p, x.Slice(n * g.C * p, g.C * p), p, beta, dw, g.C);
            }

            return;
        }

        int chunk = ChunkSamples(g);
        float[] ws = Workspace(g, chunk);
        fixed (float* pdy = dy, px = x, pws = ws)
        {
            for (int n0 = 0; n0 < g.N; n0 += chunk)
            {
                int nb = Math.Min(chunk, g.N - n0), cols = nb * p;
                float* col = pws, dyp = pws + (long)k * cols;
                Job.Run(JobKind.Im2Col, g, px, col, null, n0, nb, false);
                Job.Run(JobKind.GatherGrad, g, pdy, dyp, null, n0, nb, false);
                float beta = n0 == 0 && !accumulate ? 0f : 1f;
                Sgemm.Gemm(false, true, g.O, k, cols, 1f, new ReadOnlySpan<float>(dyp, g.O * cols), cols, new ReadOnlySpan<float>(col, k * cols), cols, beta, dw, k);
            }
        }
    }

    private static bool IsPointwise(in Conv2dGeometry g) =>
        g.KH == 1 && g.KW == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadH == 0 && g.PadW == 0 && g.H * g.W >= PointwiseMinPixels;

    /// <summary>
    /// Samples per chunk: enough for the cache budget or for <see cref="MinChunkColumns"/> columns,
    /// whichever is more, within the hard cap; then balanced over the fewest chunks. Depends only on
    /// the geometry, never on the thread count, so the weight-gradient sums keep a fixed order.
    /// </summary>
    private static int ChunkSamples(in Conv2dGeometry g)
    {
        long pixels = (long)g.OH * g.OW, perSample = ((long)g.PatchLength + g.O) * pixels;
        long byBudget = ChunkBudgetFloats / perSample, byColumns = (MinChunkColumns + pixels - 1) / pixels;
        long samples = Math.Clamp(Math.Min(Math.Max(byBudget, byColumns), MaxChunkFloats / perSample), 1, g.N);
        long chunks = (g.N + samples - 1) / samples;
        return (int)((g.N + chunks - 1) / chunks);
    }

    private static float[] Workspace(in Conv2dGeometry g, int chunk)
    {
        long needed = ((long)g.PatchLength + g.O) * chunk * g.OH * g.OW;
        if (needed > Array.MaxLength)
        {
            throw new ArgumentException($"Conv2d workspace of {needed} floats for one chunk exceeds the largest array; geometry {g} is too large for the im2col path.");
        }

        float[]? ws = t_workspace;
        if (ws is null || ws.Length < needed)
        {
            ws = GC.AllocateUninitializedArray<float>((int)needed);
            t_workspace = ws;
        }

        return ws;
    }

    private static void CheckSpans(in Conv2dGeometry g, ReadOnlySpan<float> a, string aName, int aLength, ReadOnlySpan<float> w, ReadOnlySpan<float> b, string bName, int bLength, string weightName = "w")
    {
        g.Validate();
        CheckLength(g, a.Length, aName, aLength);
        CheckLength(g, w.Length, weightName, g.WeightLength);
        CheckLength(g, b.Length, bName, bLength);
    }

    private static void CheckLength(in Conv2dGeometry g, int actual, string name, int expected)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Conv2d {name} has {actual} elements; expected {expected} for geometry {g}.", name);
        }
    }

    private static void CheckOptional(in Conv2dGeometry g, int actual, string name)
    {
        if (actual != 0 && actual != g.O)
        {
            throw new ArgumentException($"Conv2d {name} has {actual} elements; expected O={g.O} (one per output channel) or 0 for no bias.", name);
        }
    }
}
