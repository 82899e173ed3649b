using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    /// channels of one sample. The instance is per calling thread and its delegate is created once,
    /// so a pass allocates nothing of its own. Pointers are only valid while <see cref="Run"/> runs.
    /// </summary>
    private sealed class Job
    {
        /// <summary>Floats moved per work item at least, so small maps do not pay a delegate call per channel.</summary>
        private const long MinItemWork = 4096;

        /// <summary>Below this many floats in total a pass runs on the calling thread.</summary>
        private const long SerialWork = 1 << 15;

        [ThreadStatic] private static Job? t_job;

        private readonly Action<int> _body;
        private JobKind _kind;
        private Conv2dGeometry _g;
        private float* _src, _dst, _bias;
        private int _n0, _nb, _block, _blocksPerSample;
        private bool _accumulate;

        private Job() => _body = Execute;

        public static void Run(JobKind kind, in Conv2dGeometry g, float* src, float* dst, float* bias, int n0, int nb, bool accumulate)
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
            try
            {
                if (Parallelism.MaxThreads == 1 || items == 1 || total < SerialWork)
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
            for (int ch = first; ch < last; ch++)
            {
                long colOffset = (long)ch * kk * ld + (long)nl * p, rowOffset = (long)ch * ld + (long)nl * p;
                switch (_kind)
                {
                    case JobKind.Im2Col:
                        Im2ColPlane(g, _src + ((long)n * g.C + ch) * plane, _dst + colOffset, ld);
                        break;
                    case JobKind.Col2Im:
                        Col2ImPlane(g, _src + colOffset, ld, _dst + ((long)n * g.C + ch) * plane, _accumulate);
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

    // plane: (H,W) of one x[n,c] -> col rows (kh,kw) of that channel, each (OH,OW), row stride ld
    private static void Im2ColPlane(in Conv2dGeometry g, float* plane, float* col, int ld)
    {
        int oh_ = g.OH, ow_ = g.OW, sh = g.StrideH, sw = g.StrideW;
        for (int kh = 0; kh < g.KH; kh++)
        {
            ValidRange(g.H, oh_, sh, g.PadH, kh, out int ohLo, out int ohHi);
            for (int kw = 0; kw < g.KW; kw++)
            {
                ValidRange(g.W, ow_, sw, g.PadW, kw, out int owLo, out int owHi);
                float* row = col + (long)(kh * g.KW + kw) * ld;
                Clear(row, ohLo * ow_);
                Clear(row + ohHi * ow_, (oh_ - ohHi) * ow_);
                int len = owHi - owLo, iw0 = owLo * sw - g.PadW + kw;
                for (int oh = ohLo; oh < ohHi; oh++)
                {
                    float* d = row + oh * ow_;
                    Clear(d, owLo);
                    Clear(d + owHi, ow_ - owHi);
                    float* s = plane + (oh * sh - g.PadH + kh) * g.W + iw0;
                    if (sw == 1)
                    {
                        Copy(s, d + owLo, len);
                    }
                    else if (sw == 2)
                    {
                        GatherStride2(s, d + owLo, len, g.W - iw0);
                    }
                    else
                    {
                        for (int j = 0; j < len; j++)
                        {
                            d[owLo + j] = s[j * sw];
                        }
                    }
                }
            }
        }
    }

    // dcol rows (kh,kw) of one channel, each (OH,OW), row stride ld -> plane: (H,W) of dx[n,c] (+=)
    private static void Col2ImPlane(in Conv2dGeometry g, float* col, int ld, float* plane, bool accumulate)
    {
        if (!accumulate)
        {
            Clear(plane, g.H * g.W);
        }

        int ow_ = g.OW, sh = g.StrideH, sw = g.StrideW;
        for (int kh = 0; kh < g.KH; kh++)
        {
            ValidRange(g.H, g.OH, sh, g.PadH, kh, out int ohLo, out int ohHi);
            for (int kw = 0; kw < g.KW; kw++)
            {
                ValidRange(g.W, ow_, sw, g.PadW, kw, out int owLo, out int owHi);
                float* row = col + (long)(kh * g.KW + kw) * ld + owLo;
                int len = owHi - owLo, iw0 = owLo * sw - g.PadW + kw;
                for (int oh = ohLo; oh < ohHi; oh++)
                {
                    float* d = plane + (oh * sh - g.PadH + kh) * g.W + iw0;
                    float* s = row + oh * ow_;
                    if (sw == 1)
                    {
                        AddInPlace(d, s, len);
                    }
                    else
                    {
                        for (int j = 0; j < len; j++)
                        {
                            d[j * sw] += s[j];
                        }
                    }
                }
            }
        }
    }

    /// <summary>Output positions o in [lo, hi) whose input index o·stride − pad + k lies in [0, size).</summary>
    private static void ValidRange(int size, int outSize, int stride, int pad, int k, out int lo, out int hi)
    {
        int a = pad - k, b = size - 1 + pad - k;
        lo = Math.Min(a <= 0 ? 0 : (a + stride - 1) / stride, outSize);
        hi = b < 0 ? 0 : Math.Min(outSize, b / stride + 1);
        hi = Math.Max(hi, lo);
    }

    /// <summary>d[j] = s[2j] for j &lt; len, reading at most <paramref name="avail"/> floats from s.</summary>
    private static void GatherStride2(float* s, float* d, int len, int avail)
    {
        int j = 0;
        if (Avx2.IsSupported)
        {
            for (; j + 8 <= len && 2 * j + 16 <= avail; j += 8)
            {
                // [a0 a2 b0 b2 | a4 a6 b4 b6], then swap the middle 64-bit lanes -> evens in order.
                Vector256<float> even = Avx.Shuffle(Avx.LoadVector256(s + 2 * j), Avx.LoadVector256(s + 2 * j + 8), 0x88);
                Avx.Store(d + j, Avx2.Permute4x64(even.AsDouble(), 0xD8).AsSingle());
            }

            for (; j + 4 <= len && 2 * j + 8 <= avail; j += 4)
            {
                Sse.Store(d + j, Sse.Shuffle(Sse.LoadVector128(s + 2 * j), Sse.LoadVector128(s + 2 * j + 4), 0x88));
            }
        }

        for (; j < len; j++)
        {
            d[j] = s[2 * j];
        }
    }

    // Rows of a feature map are often only 2..32 floats: Span.Clear/CopyTo cost more in call
    // overhead than the copy itself, so short runs use one or two (overlapping) vector moves.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clear(float* d, int len)
    {
        if (len >= 8)
        {
            int j = 0;
            for (; j <= len - 8; j += 8)
            {
                Vector256.Store(Vector256<float>.Zero, d + j);
            }

            if (j < len)
            {
                Vector256.Store(Vector256<float>.Zero, d + len - 8);
            }
        }
        else
        {
            for (int j = 0; j < len; j++)
            {
                d[j] = 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* s, float* d, int len)
    {
        if (len >= 8)
        {
            int j = 0;
            for (; j <= len - 8; j += 8)
            {
                Vector256.Store(Vector256.Load(s + j), d + j);
            }

            if (j < len)
            {
                Vector256.Store(Vector256.Load(s + len - 8), d + len - 8);
            }
        }
        else if (len >= 4)
        {
            Vector128.Store(Vector128.Load(s), d);
            Vector128.Store(Vector128.Load(s + len - 4), d + len - 4);
        }
        else
        {
            for (int j = 0; j < len; j++)
            {
                d[j] = s[j];
            }
        }
    }

    private static void AddInPlace(float* d, float* s, int len)
    {
        int j = 0;
        for (; j + 8 <= len; j += 8)
        {
            Vector256.Store(Vector256.Load(d + j) + Vector256.Load(s + j), d + j);
        }

        for (; j < len; j++)
        {
            d[j] += s[j];
        }
    }

    private static void AddScalar(float* s, float b, float* d, int len)
    {
        int j = 0;
        var vb = Vector256.Create(b);
        for (; j + 8 <= len; j += 8)
        {
            Vector256.Store(Vector256.Load(s + j) + vb, d + j);
        }

        for (; j < len; j++)
        {
            d[j] = s[j] + b;
        }
    }
}
