namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    private enum Op
    {
        Forward,
        BackwardInput,
        BackwardWeight,
    }

    /// <summary>
    /// Runs <paramref name="op"/> over every chunk of the plan. Operands: Forward (a = x, b = w,
    /// dst = y); BackwardInput (a = dy, b = w, dst = dx); BackwardWeight (a = dy, b = x, dst = dw on
    /// the GEMM-parallel plan, or Groups partial buffers of O·C·KH·KW on the sample-parallel plan).
    /// </summary>
    private static void RunChunks(Op op, in Conv2dGeometry g, in Plan plan, float* a, float* b, float* bias, float* dst, bool accumulate)
    {
        if (plan.SampleParallel)
        {
            BatchJob.Run(op, g, plan, a, b, bias, dst, accumulate);
        }
        else
        {
            RunChunkRange(op, g, plan, 0, plan.Chunks, a, b, bias, dst, accumulate, parallel: true);
        }
    }

    /// <summary>
    /// Chunks [first, last) in order. The weight gradient overwrites dst at the first chunk unless
    /// accumulating, then adds, so each chunk range is one fixed-order sum.
    /// </summary>
    private static void RunChunkRange(Op op, in Conv2dGeometry g, in Plan plan, int first, int last,
        float* a, float* b, float* bias, float* dst, bool accumulate, bool parallel)
    {
        float[] workspace = Workspace(g, plan);
        fixed (float* ws = workspace)
        {
            for (int c = first; c < last; c++)
            {
                int n0 = c * plan.ChunkSamples, nb = Math.Min(plan.ChunkSamples, g.N - n0);
                switch (op)
                {
                    case Op.Forward:
                        ForwardChunk(g, plan.Pointwise, n0, nb, a, b, bias, dst, ws, parallel);
                        break;
                    case Op.BackwardInput:
                        BackwardInputChunk(g, plan.Pointwise, n0, nb, a, b, dst, ws, accumulate, parallel);
                        break;
                    default:
                        BackwardWeightChunk(g, plan.Pointwise, n0, nb, a, b, dst, ws, c == first && !accumulate ? 0f : 1f, parallel);
                        break;
                }
            }
        }
    }

    // x: (N,C,H,W), w: (O,C·KH·KW) -> y: (N,O,OH,OW) for samples [n0, n0+nb)
    private static void ForwardChunk(in Conv2dGeometry g, bool pointwise, int n0, int nb, float* x, float* w, float* bias, float* y, float* ws, bool parallel)
    {
        int p = g.OH * g.OW, k = g.PatchLength, o = g.O;
        var weights = new ReadOnlySpan<float>(w, g.WeightLength);
        if (pointwise)
        {
            for (int n = n0; n < n0 + nb; n++)
            {
                float* yn = y + (long)n * o * p;
                if (bias != null)
                {
                    for (int ch = 0; ch < o; ch++)
                    {
                        new Span<float>(yn + (long)ch * p, p).Fill(bias[ch]);
                    }
                }

                Sgemm.Gemm(false, false, o, p, k, 1f, weights, k, new ReadOnlySpan<float>(x + (long)n * k * p, k * p), p,
                    bias == null ? 0f : 1f, new Span<float>(yn, o * p), p);
            }

            return;
        }

        int cols = nb * p;
        float* col = ws, tmp = ws + (long)k * cols;
        Job.Run(JobKind.Im2Col, g, x, col, null, n0, nb, false, parallel);
        Sgemm.Gemm(false, false, o, cols, k, 1f, weights, k, new ReadOnlySpan<float>(col, k * cols), cols, 0f, new Span<float>(tmp, o * cols), cols);
        Job.Run(JobKind.ScatterOutput, g, tmp, y, bias, n0, nb, false, parallel);
    }

    // dy: (N,O,OH,OW), w: (O,C·KH·KW) -> dx: (N,C,H,W) for samples [n0, n0+nb)
    private static void BackwardInputChunk(in Conv2dGeometry g, bool pointwise, int n0, int nb, float* dy, float* w, float* dx, float* ws, bool accumulate, bool parallel)
    {
        int p = g.OH * g.OW, k = g.PatchLength, o = g.O;
        var weights = new ReadOnlySpan<float>(w, g.WeightLength);
        if (pointwise)
        {
            for (int n = n0; n < n0 + nb; n++)
            {
                Sgemm.Gemm(true, false, k, p, o, 1f, weights, k, new ReadOnlySpan<float>(dy + (long)n * o * p, o * p), p,
                    accumulate ? 1f : 0f, new Span<float>(dx + (long)n * k * p, k * p), p);
            }

            return;
        }

        int cols = nb * p;
        float* dcol = ws, dyp = ws + (long)k * cols;
        Job.Run(JobKind.GatherGrad, g, dy, dyp, null, n0, nb, false, parallel);
        Sgemm.Gemm(true, false, k, cols, o, 1f, weights, k, new ReadOnlySpan<float>(dyp, o * cols), cols, 0f, new Span<float>(dcol, k * cols), cols);
        Job.Run(JobKind.Col2Im, g, dcol, dx, null, n0, nb, accumulate, parallel);
    }

    // dy: (N,O,OH,OW), x: (N,C,H,W) -> dw: (O,C·KH·KW) = beta·dw + Σ over samples [n0, n0+nb)
    private static void BackwardWeightChunk(in Conv2dGeometry g, bool pointwise, int n0, int nb, float* dy, float* x, float* dw, float* ws, float beta, bool parallel)
    {
        int p = g.OH * g.OW, k = g.PatchLength, o = g.O;
        var target = new Span<float>(dw, g.WeightLength);
        if (pointwise)
        {
            for (int n = n0; n < n0 + nb; n++)
            {
                Sgemm.Gemm(false, true, o, k, p, 1f, new ReadOnlySpan<float>(dy + (long)n * o * p, o * p), p,
                    new ReadOnlySpan<float>(x + (long)n * k * p, k * p), p, n == n0 ? beta : 1f, target, k);
            }

            return;
        }

        int cols = nb * p;
        float* col = ws, dyp = ws + (long)k * cols;
        Job.Run(JobKind.Im2Col, g, x, col, null, n0, nb, false, parallel);
        Job.Run(JobKind.GatherGrad, g, dy, dyp, null, n0, nb, false, parallel);
        Sgemm.Gemm(false, true, o, k, cols, 1f, new ReadOnlySpan<float>(dyp, o * cols), cols, new ReadOnlySpan<float>(col, k * cols), cols, beta, target, k);
    }

    /// <summary>
    /// The sample-parallel plan: one work item per chunk (forward, input gradient) or per group of
    /// chunks (weight gradient, into that group's partial buffer), each run start to finish on one
    /// thread with its own workspace. Per calling thread, delegate created once.
    /// </summary>
    private sealed class BatchJob
    {
        [ThreadStatic] private static BatchJob? t_job;

        private readonly Action<int> _body;
        private Op _op;
        private Conv2dGeometry _g;
        private Plan _plan;
        private float* _a, _b, _bias, _dst;
        private bool _accumulate;

        private BatchJob() => _body = Execute;

        public static void Run(Op op, in Conv2dGeometry g, in Plan plan, float* a, float* b, float* bias, float* dst, bool accumulate)
        {
            BatchJob job = t_job ??= new BatchJob();
            (job._op, job._g, job._plan, job._accumulate) = (op, g, plan, accumulate);
            job._a = a;
            job._b = b;
            job._bias = bias;
            job._dst = dst;
            try
            {
                Parallelism.For(op == Op.BackwardWeight ? plan.Groups : plan.Chunks, job._body);
            }
            finally
            {
                job._a = job._b = job._bias = job._dst = null;
            }
        }

        private void Execute(int item)
        {
            if (_op != Op.BackwardWeight)
            {
                RunChunkRange(_op, _g, _plan, item, item + 1, _a, _b, _bias, _dst, _accumulate, parallel: false);
                return;
            }

            int first = (int)((long)item * _plan.Chunks / _plan.Groups), last = (int)((long)(item + 1) * _plan.Chunks / _plan.Groups);
            RunChunkRange(_op, _g, _plan, first, last, _a, _b, null, _dst + (long)item * _g.WeightLength, false, parallel: false);
        }
    }
}
