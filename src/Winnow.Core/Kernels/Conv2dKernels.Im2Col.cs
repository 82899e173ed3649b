namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    // plane: (H,W) of one x[n,c] -> col rows (kh,kw) of that channel, each (OH,OW), row stride ld.
    // ranges: [ohLo, ohHi) per kh then [owLo, owHi) per kw (see ValidRange).
    private static void Im2ColPlane(in Conv2dGeometry g, ReadOnlySpan<int> ranges, float* plane, float* col, int ld)
    {
        int oh_ = g.OH, ow_ = g.OW, sh = g.StrideH, sw = g.StrideW, w = g.W;
        for (int kh = 0; kh < g.KH; kh++)
        {
            int ohLo = ranges[2 * kh], ohHi = ranges[2 * kh + 1];
            for (int kw = 0; kw < g.KW; kw++)
            {
                int owLo = ranges[2 * (g.KH + kw)], owHi = ranges[2 * (g.KH + kw) + 1];
                float* row = col + (long)(kh * g.KW + kw) * ld;
                Clear(row, ohLo * ow_);
                Clear(row + ohHi * ow_, (oh_ - ohHi) * ow_);
                int len = owHi - owLo, iw0 = owLo * sw - g.PadW + kw;
                float* s = plane + (ohLo * sh - g.PadH + kh) * w + iw0;
                for (int oh = ohLo; oh < ohHi; oh++, s += sh * w)
                {
                    float* d = row + oh * ow_;
                    Clear(d, owLo);
                    Clear(d + owHi, ow_ - owHi);
                    if (sw == 1)
                    {
                        Copy(s, d + owLo, len);
                    }
                    else if (sw == 2)
                    {
                        GatherStride2(s, d + owLo, len, w - iw0);
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
    private static void Col2ImPlane(in Conv2dGeometry g, ReadOnlySpan<int> ranges, float* col, int ld, float* plane)
    {
        int ow_ = g.OW, sh = g.StrideH, sw = g.StrideW, w = g.W;
        for (int kh = 0; kh < g.KH; kh++)
        {
            int ohLo = ranges[2 * kh], ohHi = ranges[2 * kh + 1];
            for (int kw = 0; kw < g.KW; kw++)
            {
                int owLo = ranges[2 * (g.KH + kw)], owHi = ranges[2 * (g.KH + kw) + 1];
                int len = owHi - owLo, iw0 = owLo * sw - g.PadW + kw;
                float* s = col + (long)(kh * g.KW + kw) * ld + ohLo * ow_ + owLo;
                float* d = plane + (ohLo * sh - g.PadH + kh) * w + iw0;
                for (int oh = ohLo; oh < ohHi; oh++, s += ow_, d += sh * w)
                {
                    if (sw == 1)
                    {
                        AddInPlace(d, s, len);
                    }
                    else if (sw == 2)
                    {
                        ScatterAddStride2(d, s, len, w - iw0);
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

    // Narrow maps (a few floats per output row): one table lookup per element beats row copies.
    // table: (KH·KW, OH·OW) plane offsets or −1; plane (H,W) -> col rows, row stride ld
    private static void Im2ColTable(ReadOnlySpan<int> table, int kk, int p, float* plane, float* col, int ld)
    {
        for (int r = 0; r < kk; r++)
        {
            float* d = col + (long)r * ld;
            ReadOnlySpan<int> offsets = table.Slice(r * p, p);
            for (int q = 0; q < offsets.Length; q++)
            {
                int off = offsets[q];
                d[q] = off >= 0 ? plane[off] : 0f;
            }
        }
    }

    // table: (KH·KW, OH·OW) plane offsets or −1; col rows, row stride ld -> plane (H,W) (+=)
    private static void Col2ImTable(ReadOnlySpan<int> table, int kk, int p, float* col, int ld, float* plane)
    {
        for (int r = 0; r < kk; r++)
        {
            float* s = col + (long)r * ld;
            ReadOnlySpan<int> offsets = table.Slice(r * p, p);
            for (int q = 0; q < offsets.Length; q++)
            {
                int off = offsets[q];
                if (off >= 0)
                {
                    plane[off] += s[q];
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
}
