using System.Numerics.Tensors;

namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    private enum JobKind
    {
        /// <summary>x (N,C,H,W) samples [n0, n0+nb) -> col (C·KH·KW, nb·OH·OW).</summary>
        Im2Col,

        /// <summary>dcol (C·KH·KW, nb·OH·OW) -> dx (N,C,H,W) samples [n0, n0+nb), scatter-add.</summary>
        Col2Im,

        /// <summary>tmp (O, nb·OH·OW) + bias -> y (N,O,OH,OW) samples [n0, n0+nb).</summary>
        ScatterOutput,

        /// <summary>dy (N,O,OH,OW) samples [n0, n0+nb) -> dyp (O, nb·OH·OW).</summary>
        GatherGrad,

        /// <summary>dy (N,O,OH,OW) -> dbias (O), one channel per work item, samples summed in order.</summary>
        BiasGrad,
    }

    /// <summary>
    /// One data-movement pass over a chunk, split into work items that each own a disjoint block of
    /// channels of one sample (threaded only when <c>parallel</c>: not inside a sample-parallel item). The instance is per calling thread and its delegate is created once,
    /// so a pass allocates nothing in steady state. Pointers are only valid while <see cref="Run"/> runs.
    /// </summary>
    /// <remarks>
    /// The instance outlives its passes, and which passes a thread runs depends on which items of a
    /// sample-parallel plan it happened to claim. So <see cref="Run"/> sets every field that
    /// <see cref="Execute"/> reads, for every kind: nothing may be inherited from an earlier pass.
    /// </remarks>
    private sealed class Job
    {
        /// <summary>Floats moved per work item at least, so small maps do not pay a delegate call per channel.</summary>
        private const long MinItemWork = 4096;

        /// <summary>Below this many floats in total a pass runs on the calling thread.</summary>
        private const long SerialWork = 1 << 15;

        /// <summary>Output rows narrower than this use a per-element offset table instead of row copies.</summary>
        private const int TableMaxWidth = 8;

        [ThreadStatic] private static Job? t_job;

        private readonly Action<int> _body;
        private JobKind _kind;
        private Conv2dGeometry _g;
        private float* _src, _dst, _bias;
        private int _n0, _nb, _block, _blocksPerSample;
        private bool _accumulate, _useTable;

        /// <summary>Valid output ranges per kernel offset: [ohLo, ohHi) for each kh, then [owLo, owHi) for each kw.</summary>
        private int[] _ranges = new int[16];

        /// <summary>For narrow maps: plane offset ih·W + iw of every (kh,kw,oh,ow), or −1 in the padding.</summary>
        private int[] _table = [];

        private Job() => _body = Execute;

        public static void Run(JobKind kind, in Conv2dGeometry g, float* src, float* dst, float* bias, int n0, int nb, bool accumulate, bool parallel)
        {
            Job job = t_job ??= new Job();
            long p = (long)g.OH * g.OW;
            bool perPlane = kind is JobKind.Im2Col or JobKind.Col2Im;
            int channels = perPlane ? g.C : g.O;
            long channelWork = kind == JobKind.BiasGrad ? nb * p : perPlane ? g.KH * g.KW * p : p;
            int block = kind == JobKind.BiasGrad ? 1 : (int)Math.Clamp((MinItemWork + channelWork - 1) / channelWork, 1, channels);
            int blocksPerSample = (channels + block - 1) / block;
            int items = kind == JobKind.BiasGrad ? channels : nb * blocksPerSample;
            long total = channels * channelWork * (kind == JobKind.BiasGrad ? 1 : nb);

            (job._kind, job._g) = (kind, g);
            job._src = src;
            job._dst = dst;
            job._bias = bias;
            (job._n0, job._nb, job._block, job._blocksPerSample, job._accumulate) = (n0, nb, block, blocksPerSample, accumulate);

            // The offset table belongs to this pass only: a stale flag from a narrow map would make
            // Execute slice a table built for another geometry (too short for this one).
            job._useTable = perPlane && g.OW < TableMaxWidth;
            if (perPlane)
            {
                job.PrepareMaps();
            }

            try
            {
                if (!parallel || Parallelism.MaxThreads == 1 || items == 1 || total < SerialWork)
                {
                    for (int i = 0; i < items; i++)
                    {
                        job.Execute(i);
                    }
                }
                else
                {
                    Parallelism.For(items, job._body);
                }
            }
            finally
            {
                job._src = job._dst = job._bias = null;
            }
        }

        /// <summary>Index arithmetic shared by every plane of the pass, so no division runs per plane.</summary>
        private void PrepareMaps()
        {
            ref readonly Conv2dGeometry g = ref _g;
            int kh_ = g.KH, kw_ = g.KW;
            if (_ranges.Length < 2 * (kh_ + kw_))
            {
                _ranges = new int[2 * (kh_ + kw_)];
            }

            for (int kh = 0; kh < kh_; kh++)
            {
                ValidRange(g.H, g.OH, g.StrideH, g.PadH, kh, out _ranges[2 * kh], out _ranges[2 * kh + 1]);
            }

            for (int kw = 0; kw < kw_; kw++)
            {
                ValidRange(g.W, g.OW, g.StrideW, g.PadW, kw, out _ranges[2 * (kh_ + kw)], out _ranges[2 * (kh_ + kw) + 1]);
            }

            if (!_useTable)
            {
                return;
            }

            int oh_ = g.OH, ow_ = g.OW, size = kh_ * kw_ * oh_ * ow_;
            if (_table.Length < size)
            {
                _table = new int[size];
            }

            int t = 0;
            for (int kh = 0; kh < kh_; kh++)
            {
                for (int kw = 0; kw < kw_; kw++)
                {
                    for (int oh = 0; oh < oh_; oh++)
                    {
                        int ih = oh * g.StrideH - g.PadH + kh;
                        for (int ow = 0; ow < ow_; ow++)
                        {
                            int iw = ow * g.StrideW - g.PadW + kw;
                            _table[t++] = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W ? ih * g.W + iw : -1;
                        }
                    }
                }
            }
        }

        private void Execute(int item)
        {
            ref readonly Conv2dGeometry g = ref _g;
            int p = g.OH * g.OW, ld = _nb * p, kk = g.KH * g.KW;
            if (_kind == JobKind.BiasGrad)
            {
                float sum = 0f;
                for (int s = 0; s < _nb; s++)
                {
                    sum += TensorPrimitives.Sum(new ReadOnlySpan<float>(_src + ((long)s * g.O + item) * p, p));
                }

                _dst[item] = _accumulate ? _dst[item] + sum : sum;
                return;
            }

            int nl = item / _blocksPerSample, first = item % _blocksPerSample * _block;
            int n = _n0 + nl, plane = g.H * g.W;
            int last = Math.Min(first + _block, _kind is JobKind.Im2Col or JobKind.Col2Im ? g.C : g.O);
            ReadOnlySpan<int> ranges = _ranges, table = _useTable ? _table.AsSpan(0, kk * p) : default;
            for (int ch = first; ch < last; ch++)
            {
                long colOffset = (long)ch * kk * ld + (long)nl * p, rowOffset = (long)ch * ld + (long)nl * p;
                switch (_kind)
                {
                    case JobKind.Im2Col when _useTable:
                        Im2ColTable(table, kk, p, _src + ((long)n * g.C + ch) * plane, _dst + colOffset, ld);
                        break;
                    case JobKind.Im2Col:
                        Im2ColPlane(g, ranges, _src + ((long)n * g.C + ch) * plane, _dst + colOffset, ld);
                        break;
                    case JobKind.Col2Im:
                        float* dx = _dst + ((long)n * g.C + ch) * plane;
                        if (!_accumulate)
                        {
                            Clear(dx, plane);
                        }

                        if (_useTable)
                        {
                            Col2ImTable(table, kk, p, _src + colOffset, ld, dx);
                        }
                        else
                        {
                            Col2ImPlane(g, ranges, _src + colOffset, ld, dx);
                        }

                        break;
                    case JobKind.ScatterOutput when _bias == null:
                        Copy(_src + rowOffset, _dst + ((long)n * g.O + ch) * p, p);
                        break;
                    case JobKind.ScatterOutput:
                        AddScalar(_src + rowOffset, _bias[ch], _dst + ((long)n * g.O + ch) * p, p);
                        break;
                    default:
                        Copy(_src + ((long)n * g.O + ch) * p, _dst + rowOffset, p);
                        break;
                }
            }
        }
    }
}
