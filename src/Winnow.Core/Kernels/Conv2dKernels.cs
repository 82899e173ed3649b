namespace Winnow.Kernels;

/// <summary>
/// 2-D convolution kernels with PyTorch conv2d semantics: cross-correlation, zero padding, NCHW
/// layout, weight (O,C,KH,KW), groups = 1, dilation = 1.
/// y[n,o,i,j] = bias[o] + Σ_{c,kh,kw} x[n,c,i·sH−pH+kh, j·sW−pW+kw] · w[o,c,kh,kw] (x = 0 outside).
/// <para>
/// Fast path: a chunk of samples is unrolled by im2col into a (C·KH·KW, Nb·OH·OW) matrix so the
/// whole chunk is one SGEMM (small feature maps would otherwise give GEMMs a few columns wide);
/// 1×1 stride-1 unpadded convolutions with large maps skip im2col and run one SGEMM per sample on
/// x and y directly. Layers with small weights (LeNet, ResNet-20, VGG's first two) run whole chunks
/// in parallel, one thread per chunk, because their GEMMs are too small to split profitably; the
/// weight gradient then sums fixed groups of chunks into partial buffers, added in group order.
/// Larger layers run chunks one after another with <see cref="Sgemm"/> and the im2col passes
/// threaded. Threads never nest. The plan depends only on the geometry and every output element is
/// written by one thread in a fixed order, so results are bit-identical for any
/// <see cref="Parallelism.MaxThreads"/>.
/// </para>
/// <para>The <c>*Naive</c> twins are direct loops and serve as the test oracle.</para>
/// </summary>
/// <exception cref="ArgumentException">Invalid geometry or a span whose length does not match it.</exception>
public static unsafe partial class Conv2dKernels
{
    /// <summary>
    /// Layers with at most this many weights run chunks in parallel (one thread per chunk) instead
    /// of threading each chunk's GEMM. Internal and settable so tests can force either plan.
    /// </summary>
    internal static int SampleParallelMaxWeights { get; set; } = 1 << 16;

    /// <summary>
    /// Target workspace floats per chunk ((C·KH·KW + O) · Nb · OH · OW) on the GEMM-parallel plan:
    /// small enough that the im2col matrix a chunk writes is still in cache when SGEMM packs it.
    /// The sample-parallel plan uses a quarter, per thread. Internal and settable for tests.
    /// </summary>
    internal static int ChunkBudgetFloats { get; set; } = 1 << 19;

    /// <summary>
    /// Fewest GEMM columns (Nb · OH · OW) per chunk on the GEMM-parallel plan, even beyond the
    /// budget: small maps with big weights (VGG's 512×4608 at 4×4 and 2×2) would otherwise repack the
    /// weights every few columns. The sample-parallel plan uses half.
    /// </summary>
    internal static int MinChunkColumns { get; set; } = 512;

    /// <summary>Hard cap on workspace floats per chunk (64 MB), unless one sample needs more.</summary>
    private const long MaxChunkFloats = 1L << 24;

    /// <summary>The sample-parallel plan aims for at least this many chunks, for load balance.</summary>
    private const int MinParallelChunks = 8;

    /// <summary>Weight-gradient partial buffers on the sample-parallel plan (fixed, so sums keep their order).</summary>
    private const int MaxGroups = 16;

    /// <summary>1×1 convolutions with at least this many output pixels per sample skip im2col.</summary>
    private const int PointwiseMinPixels = 64;

    [ThreadStatic] private static float[]? t_workspace;
    [ThreadStatic] private static float[]? t_partials;

    /// <summary>How a call splits the batch; a function of the geometry only.</summary>
    private readonly record struct Plan(bool Pointwise, bool SampleParallel, int ChunkSamples, int Chunks, int Groups);

    // x: (N,C,H,W), w: (O,C,KH,KW), bias: (O) or empty -> y: (N,O,OH,OW)
    /// <summary>Convolution forward pass; <paramref name="bias"/> empty means no bias. Overwrites y.</summary>
    public static void Forward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckSpans(g, x, "x", g.InputLength, w, y, "y", g.OutputLength);
        CheckOptional(g, bias.Length, "bias");
        Plan plan = MakePlan(g);
        fixed (float* px = x, pw = w, pb = bias, py = y)
        {
            RunChunks(Op.Forward, g, plan, px, pw, pb, py, false);
        }
    }

    // dy: (N,O,OH,OW), w: (O,C,KH,KW) -> dx: (N,C,H,W)
    /// <summary>Gradient with respect to x. <paramref name="accumulate"/> adds into dx instead of overwriting it.</summary>
    public static void BackwardInput(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx, bool accumulate)
    {
        CheckSpans(g, dy, "dy", g.OutputLength, w, dx, "dx", g.InputLength);
        Plan plan = MakePlan(g);
        fixed (float* pdy = dy, pw = w, pdx = dx)
        {
            RunChunks(Op.BackwardInput, g, plan, pdy, pw, null, pdx, accumulate);
        }
    }

    // dy: (N,O,OH,OW), x: (N,C,H,W) -> dw: (O,C,KH,KW), dbias: (O) or empty
    /// <summary>
    /// Gradients with respect to w and (unless <paramref name="dbias"/> is empty) the bias.
    /// Sums over the batch run in an order fixed by the geometry, independent of the thread count.
    /// <paramref name="accumulate"/> adds into dw and dbias instead of overwriting them.
    /// </summary>
    public static void BackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dw, Span<float> dbias, bool accumulate)
    {
        CheckSpans(g, dy, "dy", g.OutputLength, dw, x, "x", g.InputLength, weightName: "dw");
        CheckOptional(g, dbias.Length, "dbias");
        Plan plan = MakePlan(g);
        fixed (float* pdy = dy, px = x, pdw = dw, pdb = dbias)
        {
            if (!dbias.IsEmpty)
            {
                Job.Run(JobKind.BiasGrad, g, pdy, pdb, null, 0, g.N, accumulate, parallel: true);
            }

            if (!plan.SampleParallel)
            {
                RunChunks(Op.BackwardWeight, g, plan, pdy, px, null, pdw, accumulate);
                return;
            }

            // One partial sum per group of chunks, then dw (+)= p0 + p1 + ... in group order.
            int size = g.WeightLength;
            float[] partials = Grow(ref t_partials, (long)plan.Groups * size);
            fixed (float* pp = partials)
            {
                RunChunks(Op.BackwardWeight, g, plan, pdy, px, null, pp, false);
                var target = new Span<float>(pdw, size);
                for (int grp = 0; grp < plan.Groups; grp++)
                {
                    var part = new ReadOnlySpan<float>(pp + (long)grp * size, size);
                    if (grp == 0 && !accumulate)
                    {
                        part.CopyTo(target);
                    }
                    else
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(target, part, target);
                    }
                }
            }
        }
    }

    private static bool IsPointwise(in Conv2dGeometry g) =>
        g.KH == 1 && g.KW == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadH == 0 && g.PadW == 0 && g.H * g.W >= PointwiseMinPixels;

    /// <summary>
    /// Chooses the plan and the samples per chunk: enough for the cache budget or the minimum GEMM
    /// width, whichever is more, within the hard cap; then balanced over the fewest chunks.
    /// Depends only on the geometry, never on the thread count, so every sum keeps a fixed order.
    /// </summary>
    private static Plan MakePlan(in Conv2dGeometry g)
    {
        bool pointwise = IsPointwise(g), sampleParallel = g.N > 1 && g.WeightLength <= SampleParallelMaxWeights;
        long pixels = (long)g.OH * g.OW, perSample = ((long)g.PatchLength + g.O) * pixels;
        long samples;
        if (pointwise)
        {
            samples = 1;
        }
        else if (sampleParallel)
        {
            long byBudget = ChunkBudgetFloats / 4 / perSample, byColumns = (MinChunkColumns / 2 + pixels - 1) / pixels;
            samples = Math.Min(Math.Max(byBudget, byColumns), (g.N + MinParallelChunks - 1) / MinParallelChunks);
        }
        else
        {
            long byBudget = ChunkBudgetFloats / perSample, byColumns = (MinChunkColumns + pixels - 1) / pixels;
            samples = Math.Min(Math.Max(byBudget, byColumns), MaxChunkFloats / perSample);
        }

        samples = Math.Clamp(samples, 1, g.N);
        int chunks = (int)((g.N + samples - 1) / samples);
        samples = (g.N + chunks - 1) / chunks;
        chunks = (int)((g.N + samples - 1) / samples);
        return new Plan(pointwise, sampleParallel, (int)samples, chunks, Math.Min(chunks, MaxGroups));
    }

    /// <summary>The calling thread's im2col workspace for one chunk of the plan.</summary>
    private static float[] Workspace(in Conv2dGeometry g, in Plan plan)
    {
        long needed = ((long)g.PatchLength + g.O) * plan.ChunkSamples * g.OH * g.OW;
        return Grow(ref t_workspace, plan.Pointwise ? 0 : needed);
    }

    private static float[] Grow(ref float[]? buffer, long needed)
    {
        if (needed > Array.MaxLength)
        {
            throw new ArgumentException($"Conv2d needs a workspace of {needed} floats, more than the largest array; reduce the batch or spatial size.");
        }

        if (buffer is null || buffer.Length < needed)
        {
            buffer = GC.AllocateUninitializedArray<float>((int)Math.Max(needed, 1));
        }

        return buffer;
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
