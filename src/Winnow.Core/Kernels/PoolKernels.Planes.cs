using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static unsafe partial class PoolKernels
{
    // x: (H,W) -> y, argmax: (OH,OW)
    private static void MaxPlane(in Pool2dGeometry g, float* x, float* y, int* argmax)
    {
        int oh_ = g.OH, ow_ = g.OW, w = g.W;
        if (g.KH == 2 && g.KW == 2 && g.StrideH == 2 && g.StrideW == 2 && g.PadH == 0 && g.PadW == 0 && ow_ >= 8 && Avx2.IsSupported)
        {
            for (int oh = 0; oh < oh_; oh++)
            {
                Max2x2Row(x + 2 * oh * w, w, ow_, 2 * oh * w, y + oh * ow_, argmax + oh * ow_);
            }

            return;
        }

        if (ow_ >= 8 && Avx2.IsSupported)
        {
            for (int oh = 0; oh < oh_; oh++)
            {
                MaxRowGather(g, x, oh, y + oh * ow_, argmax + oh * ow_);
            }

            return;
        }

        if (g.KH == 2 && g.KW == 2 && g.StrideH == 2 && g.StrideW == 2 && g.PadH == 0 && g.PadW == 0 && ow_ == 4 && oh_ >= 2 && Avx2.IsSupported)
        {
            // Two 4-wide output rows per vector (the last pair overlaps when OH is odd).
            for (int step = 0; step < oh_; step += 2)
            {
                int oh = Math.Min(step, oh_ - 2);
                Max2x2TwoRows(x + 2 * oh * w, w, 2 * oh * w, y + oh * 4, argmax + oh * 4);
            }

            return;
        }

        if (ow_ < 8 && oh_ * ow_ >= 8 && oh_ * ow_ <= MaxFlatPlane && Avx2.IsSupported)
        {
            MaxPlaneFlat(g, x, y, argmax);
            return;
        }

        MaxPlaneScalar(g, x, y, argmax);
    }

    /// <summary>Largest output plane of <see cref="MaxPlaneFlat"/>: its lane coordinates come from a float division, exact far beyond this.</summary>
    private const int MaxFlatPlane = 1 << 16;

    /// <summary>
    /// Any window and stride, output rows narrower than a vector (LeNet-5's 8×8 → 4×4 pool): the plane's
    /// outputs taken eight at a time in flat order, across rows (the last vector overlaps), each lane
    /// with its own window; every window element is a masked gather as in <see cref="MaxRowGather"/>, in
    /// the scalar visit order, so values and argmax match the scalar loop exactly. The scalar loop's
    /// branches mispredict on every other element of random data; this has none.
    /// </summary>
    private static void MaxPlaneFlat(in Pool2dGeometry g, float* x, float* y, int* argmax)
    {
        int p = g.OH * g.OW;
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), height = Vector256.Create(g.H), width = Vector256.Create(g.W);
        Vector256<float> negInf = Vector256.Create(float.NegativeInfinity), half = Vector256.Create(0.5f), invOw = Vector256.Create(1f / g.OW);
        for (int step = 0; step < p; step += 8)
        {
            int k0 = Math.Min(step, p - 8);
            Vector256<int> k = Vector256.Create(k0) + lanes;
            // oh = ⌊k / OW⌋: k + 0.5 sits at least 0.5/OW from a multiple of OW, far above the float error for k ≤ 2^16.
            Vector256<int> oh = Avx.ConvertToVector256Int32WithTruncation(Avx.Multiply(Avx.Add(Avx.ConvertToVector256Single(k), half), invOw));
            Vector256<int> hs = oh * g.StrideH - Vector256.Create(g.PadH);
            Vector256<int> ws = (k - oh * g.OW) * g.StrideW - Vector256.Create(g.PadW);
            Vector256<int> index = Vector256.Max(hs, Vector256<int>.Zero) * width + Vector256.Max(ws, Vector256<int>.Zero);
            Vector256<float> best = negInf;
            for (int kh = 0; kh < g.KH; kh++)
            {
                Vector256<int> ih = hs + Vector256.Create(kh);
                Vector256<int> rowInside = Vector256.GreaterThanOrEqual(ih, Vector256<int>.Zero) & Vector256.LessThan(ih, height);
                Vector256<int> rowBase = ih * width;
                for (int kw = 0; kw < g.KW; kw++)
                {
                    Vector256<int> iw = ws + Vector256.Create(kw);
                    Vector256<int> inside = rowInside & Vector256.GreaterThanOrEqual(iw, Vector256<int>.Zero) & Vector256.LessThan(iw, width);
                    Vector256<int> flat = rowBase + iw;
                    Vector256<float> v = Avx2.GatherMaskVector256(negInf, x, flat, inside.AsSingle(), 4);
                    Take(ref best, ref index, v, flat);
                }
            }

            Avx.Store(y + k0, best);
            Avx.Store(argmax + k0, index);
        }
    }

    /// <summary>
    /// Any window and stride, one output row (width ≥ 8), eight outputs at a time with a ragged end
    /// recomputed by an overlapping last vector. Each window element is a masked gather: columns in
    /// the padding read as −∞, which never wins, so the visit order and the "greater, or NaN" rule
    /// match the scalar loop exactly without its unpredictable branches.
    /// </summary>
    private static void MaxRowGather(in Pool2dGeometry g, float* x, int oh, float* y, int* argmax)
    {
        int w = g.W, ow_ = g.OW, hs = oh * g.StrideH - g.PadH, he = Math.Min(hs + g.KH, g.H);
        hs = Math.Max(hs, 0);
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), width = Vector256.Create(w);
        Vector256<float> negInf = Vector256.Create(float.NegativeInfinity);
        for (int step = 0; step < ow_; step += 8)
        {
            int ow = Math.Min(step, ow_ - 8);
            Vector256<int> ws = (Vector256.Create(ow) + lanes) * g.StrideW - Vector256.Create(g.PadW);
            Vector256<int> index = Vector256.Create(hs * w) + Vector256.Max(ws, Vector256<int>.Zero);
            Vector256<float> best = negInf;
            for (int ih = hs; ih < he; ih++)
            {
                float* row = x + ih * w;
                for (int kw = 0; kw < g.KW; kw++)
                {
                    Vector256<int> iw = ws + Vector256.Create(kw);
                    Vector256<int> inside = Vector256.GreaterThanOrEqual(iw, Vector256<int>.Zero) & Vector256.LessThan(iw, width);
                    Vector256<float> v = Avx2.GatherMaskVector256(negInf, row, iw, inside.AsSingle(), 4);
                    Take(ref best, ref index, v, Vector256.Create(ih * w) + iw);
                }
            }

            Avx.Store(y + ow, best);
            Avx.Store(argmax + ow, index);
        }
    }

    // x: (H,W) -> y, argmax: (OH,OW); kept apart from the vector path so its loop stays in registers.
    private static void MaxPlaneScalar(in Pool2dGeometry g, float* x, float* y, int* argmax)
    {
        int oh_ = g.OH, ow_ = g.OW, h = g.H, w = g.W, kh_ = g.KH, kw_ = g.KW, sh = g.StrideH, sw = g.StrideW;
        for (int oh = 0; oh < oh_; oh++)
        {
            int hs = oh * sh - g.PadH, he = Math.Min(hs + kh_, h);
            hs = Math.Max(hs, 0);
            for (int ow = 0; ow < ow_; ow++)
            {
                int ws = ow * sw - g.PadW, we = Math.Min(ws + kw_, w);
                ws = Math.Max(ws, 0);
                float best = float.NegativeInfinity;
                int bestIndex = hs * w + ws;
                for (int ih = hs; ih < he; ih++)
                {
                    float* row = x + ih * w;
                    for (int iw = ws; iw < we; iw++)
                    {
                        float v = row[iw];
                        if (v > best || float.IsNaN(v))
                        {
                            best = v;
                            bestIndex = ih * w + iw;
                        }
                    }
                }

                y[oh * ow_ + ow] = best;
                argmax[oh * ow_ + ow] = bestIndex;
            }
        }
    }

    /// <summary>
    /// One output row of 2×2 stride-2 windows (width ≥ 8), eight at a time; a ragged end is
    /// recomputed by an overlapping last vector. Visits each window in the scalar order (r0c0, r0c1,
    /// r1c0, r1c1) with the same "greater, or NaN" rule, so results match the scalar loop exactly.
    /// </summary>
    private static void Max2x2Row(float* r0, int w, int count, int rowIndex, float* y, int* argmax)
    {
        float* r1 = r0 + w;
        Vector256<int> lanes = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        for (int step = 0; step < count; step += 8)
        {
            int ow = Math.Min(step, count - 8);
            Vector256<float> a0 = Avx.LoadVector256(r0 + 2 * ow), b0 = Avx.LoadVector256(r0 + 2 * ow + 8);
            Vector256<float> a1 = Avx.LoadVector256(r1 + 2 * ow), b1 = Avx.LoadVector256(r1 + 2 * ow + 8);
            Vector256<int> i00 = Vector256.Create(rowIndex + 2 * ow) + lanes;
            Vector256<float> best = Evens(a0, b0);
            Vector256<int> index = i00;
            Take(ref best, ref index, Odds(a0, b0), i00 + Vector256<int>.One);
            Take(ref best, ref index, Evens(a1, b1), i00 + Vector256.Create(w));
            Take(ref best, ref index, Odds(a1, b1), i00 + Vector256.Create(w + 1));
            Avx.Store(y + ow, best);
            Avx.Store(argmax + ow, index);
        }
    }

    /// <summary>
    /// Two output rows of four 2×2 stride-2 windows (input width 8 or 9, LeNet-5's 8×8 → 4×4 pool) in one
    /// vector: lanes 0–3 read input rows 0–1, lanes 4–7 rows 2–3 from <paramref name="r0"/>. Same visit
    /// order and "greater, or NaN" rule as <see cref="Max2x2Row"/>.
    /// </summary>
    private static void Max2x2TwoRows(float* r0, int w, int rowIndex, float* y, int* argmax)
    {
        Vector256<float> a0 = Avx.LoadVector256(r0), b0 = Avx.LoadVector256(r0 + 2 * w);
        Vector256<float> a1 = Avx.LoadVector256(r0 + w), b1 = Avx.LoadVector256(r0 + 3 * w);
        Vector256<int> i00 = Vector256.Create(rowIndex) + Vector256.Create(0, 2, 4, 6, 2 * w, 2 * w + 2, 2 * w + 4, 2 * w + 6);
        Vector256<float> best = Evens(a0, b0);
        Vector256<int> index = i00;
        Take(ref best, ref index, Odds(a0, b0), i00 + Vector256<int>.One);
        Take(ref best, ref index, Evens(a1, b1), i00 + Vector256.Create(w));
        Take(ref best, ref index, Odds(a1, b1), i00 + Vector256.Create(w + 1));
        Avx.Store(y, best);
        Avx.Store(argmax, index);
    }

    /// <summary>Even elements of the 16 floats a ++ b, in order ([a0 a2 b0 b2 | a4 a6 b4 b6], middle lanes swapped).</summary>
    private static Vector256<float> Evens(Vector256<float> a, Vector256<float> b) =>
        Avx2.Permute4x64(Avx.Shuffle(a, b, 0x88).AsDouble(), 0xD8).AsSingle();

    /// <summary>Odd elements of the 16 floats a ++ b, in order.</summary>
    private static Vector256<float> Odds(Vector256<float> a, Vector256<float> b) =>
        Avx2.Permute4x64(Avx.Shuffle(a, b, 0xDD).AsDouble(), 0xD8).AsSingle();

    private static void Take(ref Vector256<float> best, ref Vector256<int> index, Vector256<float> v, Vector256<int> vIndex)
    {
        Vector256<float> take = Avx.Or(Avx.CompareGreaterThan(v, best), Avx.CompareUnordered(v, v));
        best = Avx.BlendVariable(best, v, take);
        index = Avx.BlendVariable(index.AsSingle(), vIndex.AsSingle(), take).AsInt32();
    }

    // dy, argmax: (OH,OW) -> dx: (H,W)
    private static void MaxBackwardPlane(in Pool2dGeometry g, float* dy, int* argmax, float* dx, bool accumulate)
    {
        if (!accumulate)
        {
            new Span<float>(dx, g.H * g.W).Clear();
        }

        int count = g.OH * g.OW;
        for (int i = 0; i < count; i++)
        {
            dx[argmax[i]] += dy[i];
        }
    }

    /// <summary>PyTorch's window bounds: the divisor counts padding (count_include_pad), the sum does not.</summary>
    private static int Window(int o, int stride, int pad, int kernel, int size, out int start, out int end)
    {
        start = o * stride - pad;
        end = Math.Min(start + kernel, size + pad);
        int span = end - start;
        start = Math.Max(start, 0);
        end = Math.Min(end, size);
        return span;
    }

    // x: (H,W) -> y: (OH,OW)
    private static void AvgPlane(in Pool2dGeometry g, float* x, float* y)
    {
        int oh_ = g.OH, ow_ = g.OW, w = g.W;
        for (int oh = 0; oh < oh_; oh++)
        {
            int spanH = Window(oh, g.StrideH, g.PadH, g.KH, g.H, out int hs, out int he);
            for (int ow = 0; ow < ow_; ow++)
            {
                int spanW = Window(ow, g.StrideW, g.PadW, g.KW, w, out int ws, out int we);
                float sum = 0f;
                for (int ih = hs; ih < he; ih++)
                {
                    float* row = x + ih * w;
                    for (int iw = ws; iw < we; iw++)
                    {
                        sum += row[iw];
                    }
                }

                y[oh * ow_ + ow] = sum / (spanH * spanW);
            }
        }
    }

    // dy: (OH,OW) -> dx: (H,W)
    private static void AvgBackwardPlane(in Pool2dGeometry g, float* dy, float* dx, bool accumulate)
    {
        if (!accumulate)
        {
            new Span<float>(dx, g.H * g.W).Clear();
        }

        int oh_ = g.OH, ow_ = g.OW, w = g.W;
        for (int oh = 0; oh < oh_; oh++)
        {
            int spanH = Window(oh, g.StrideH, g.PadH, g.KH, g.H, out int hs, out int he);
            for (int ow = 0; ow < ow_; ow++)
            {
                int spanW = Window(ow, g.StrideW, g.PadW, g.KW, w, out int ws, out int we);
                float share = dy[oh * ow_ + ow] / (spanH * spanW);
                for (int ih = hs; ih < he; ih++)
                {
                    float* row = dx + ih * w;
                    for (int iw = ws; iw < we; iw++)
                    {
                        row[iw] += share;
                    }
                }
            }
        }
    }

    // dx: (H,W) = share (or += share)
    private static void GlobalBackwardPlane(float share, float* dx, int count, bool accumulate)
    {
        var d = new Span<float>(dx, count);
        if (accumulate)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(d, share, d);
        }
        else
        {
            d.Fill(share);
        }
    }
}
