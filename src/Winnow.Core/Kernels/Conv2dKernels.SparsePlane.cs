using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    [ThreadStatic] private static int[]? t_tapInts;
    [ThreadStatic] private static float[]? t_tapWeights;
    [ThreadStatic] private static long[]? t_tapOffsets;

    /// <summary>
    /// Stride-1 gather over one output plane: out[r,c] += Σ_t w_t · src[ch_t][r + dh_t, c + dw_t] (zero
    /// outside the source plane), the taps in order for every pixel. Interior pixels, where every tap
    /// is inside the source, keep 8 outputs in a register across all taps (one load per multiply-add);
    /// the border ring adds tap by tap. Taps: <c>ints</c> holds ch, dh, dw per tap, <c>weights</c> w.
    /// </summary>
    private static void GatherPlane(float* outp, int outH, int outW, float* src, int srcPlane, int srcH, int srcW,
        ReadOnlySpan<int> ints, ReadOnlySpan<float> weights, int taps)
    {
        if (taps == 0)
        {
            return;
        }

        int minDh = int.MaxValue, maxDh = int.MinValue, minDw = int.MaxValue, maxDw = int.MinValue;
        for (int t = 0; t < taps; t++)
        {
            minDh = Math.Min(minDh, ints[3 * t + 1]);
            maxDh = Math.Max(maxDh, ints[3 * t + 1]);
            minDw = Math.Min(minDw, ints[3 * t + 2]);
            maxDw = Math.Max(maxDw, ints[3 * t + 2]);
        }

        int rA = Math.Max(0, -minDh), rB = Math.Min(outH, srcH - maxDh), cA = Math.Max(0, -minDw), cB = Math.Min(outW, srcW - maxDw);
        if (!Sgemm.IsAccelerated || rB <= rA || cB - cA < 8)
        {
            rA = rB = cA = cB = 0;
        }

        if (rB > rA)
        {
            if (t_tapOffsets is null || t_tapOffsets.Length < taps)
            {
                t_tapOffsets = new long[taps];
            }

            for (int t = 0; t < taps; t++)
            {
                t_tapOffsets[t] = (long)ints[3 * t] * srcPlane + ints[3 * t + 1] * srcW + ints[3 * t + 2];
            }

            fixed (long* offs = t_tapOffsets)
            fixed (float* pw = weights)
            {
                InteriorRows(outp, outW, src, srcW, offs, pw, taps, rA, rB, cA, cB);
            }
        }

        for (int t = 0; t < taps; t++)
        {
            int dh = ints[3 * t + 1], dw = ints[3 * t + 2];
            float wv = weights[t];
            float* s0 = src + (long)ints[3 * t] * srcPlane + dh * srcW + dw;
            int r0 = Math.Max(0, -dh), r1 = Math.Min(outH, srcH - dh), c0 = Math.Max(0, -dw), c1 = Math.Min(outW, srcW - dw);
            for (int r = r0; r < r1; r++)
            {
                float* orow = outp + r * outW;
                float* srow = s0 + r * srcW;
                if (r >= rA && r < rB)
                {
                    for (int c = c0; c < Math.Min(c1, cA); c++)
                    {
                        orow[c] += wv * srow[c];
                    }

                    for (int c = Math.Max(c0, cB); c < c1; c++)
                    {
                        orow[c] += wv * srow[c];
                    }
                }
                else
                {
                    SparseConvJob.Axpy(wv, srow, 1, orow, c0, c1);
                }
            }
        }
    }

    [ThreadStatic] private static float[]? t_padded;

    /// <summary>
    /// Stride-1 pass over a whole sample with no border cases: the sample's source planes are copied
    /// into a zero-padded buffer (top/left padding <paramref name="padTop"/>/<paramref name="padLeft"/>,
    /// size (outH + th − 1) × (outW + tw − 1) for a th × tw kernel), then every output plane
    /// o of the sample gets out[o][r,c] += Σ_t w_t · padded[ch_t][r + dh_t + padTop, c + dw_t + padLeft]
    /// over the taps of plane o (CSR-like <paramref name="ptr"/>/<paramref name="taps"/>: ch, dh, dw
    /// triples and weights), taps in order. Needs outW ≥ 8. With <paramref name="overwrite"/> every output
    /// plane o starts at <paramref name="init"/>[o] (0 when null) instead of its current value, so the
    /// caller need not fill it first. A source that needs no padding (a valid forward conv) is read in place.
    /// </summary>
    private static void PaddedSample(float* outBase, int outPlanes, int outH, int outW, float* src, int srcPlanes, int srcH, int srcW,
        int padTop, int padLeft, int th, int tw, ReadOnlySpan<int> ptr, ReadOnlySpan<int> taps, ReadOnlySpan<float> weights,
        bool overwrite = false, float* init = null)
    {
        int ph = outH + th - 1, pwid = outW + tw - 1, pplane = ph * pwid;
        bool inPlace = padTop == 0 && padLeft == 0 && ph == srcH && pwid == srcW;
        float[] buffer = Grow(ref t_padded, inPlace ? 1 : (long)srcPlanes * pplane);
        int maxTaps = 0;
        for (int o = 0; o < outPlanes; o++)
        {
            maxTaps = Math.Max(maxTaps, ptr[o + 1] - ptr[o]);
        }

        if (t_tapOffsets is null || t_tapOffsets.Length < maxTaps)
        {
            t_tapOffsets = new long[Math.Max(maxTaps, 1)];
        }

        fixed (float* buf = buffer, pw = weights)
        fixed (long* offs = t_tapOffsets)
        {
            float* pb = inPlace ? src : buf;
            if (!inPlace)
            {
                PadPlanes(src, srcPlanes, srcH, srcW, pb, ph, pwid, padTop, padLeft);
            }

            for (int o = 0; o < outPlanes; o++)
            {
                int t0 = ptr[o], n = ptr[o + 1] - t0;
                for (int t = 0; t < n; t++)
                {
                    int q = t0 + t;
                    offs[t] = (long)taps[3 * q] * pplane + (taps[3 * q + 1] + padTop) * pwid + taps[3 * q + 2] + padLeft;
                }

                InteriorRows(outBase + (long)o * outH * outW, outW, pb, pwid, offs, pw + t0, n, 0, outH, 0, outW, overwrite, init == null ? 0f : init[o]);
            }
        }
    }

    /// <summary>
    /// Interior rows [rA, rB), columns [cA, cB) (cB − cA ≥ 8): 16, then 8 outputs per register pass over the taps, then one overlapping masked vector.
    /// Adds to the outputs, or with <paramref name="overwrite"/> starts every output at <paramref name="init"/> (the same sums, without a fill pass).
    /// </summary>
    private static void InteriorRows(float* outp, int outW, float* src, int srcW, long* offs, float* pw, int taps, int rA, int rB, int cA, int cB,
        bool overwrite = false, float init = 0f)
    {
        Vector256<float> vi = Vector256.Create(init);
        for (int r = rA; r < rB; r++)
        {
            float* orow = outp + r * outW;
            float* srow = src + r * srcW;
            int c = cA;
            for (; c + 16 <= cB; c += 16)
            {
                Vector256<float> a0 = overwrite ? vi : Avx.LoadVector256(orow + c), a1 = overwrite ? vi : Avx.LoadVector256(orow + c + 8);
                float* sc = srow + c;
                for (int t = 0; t < taps; t++)
                {
                    Vector256<float> w = Vector256.Create(pw[t]);
                    float* s = sc + offs[t];
                    a0 = Fma.MultiplyAdd(w, Avx.LoadVector256(s), a0);
                    a1 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + 8), a1);
                }

                Avx.Store(orow + c, a0);
                Avx.Store(orow + c + 8, a1);
            }

            for (; c + 8 <= cB; c += 8)
            {
                Vector256<float> acc = overwrite ? vi : Avx.LoadVector256(orow + c);
                float* sc = srow + c;
                for (int t = 0; t < taps; t++)
                {
                    acc = Fma.MultiplyAdd(Vector256.Create(pw[t]), Avx.LoadVector256(sc + offs[t]), acc);
                }

                Avx.Store(orow + c, acc);
            }

            if (c < cB)
            {
                // The last, overlapping vector: lanes before c are final already and are not stored again.
                int cs = cB - 8;
                Vector256<float> acc = overwrite ? vi : Avx.LoadVector256(orow + cs);
                float* sc = srow + cs;
                for (int t = 0; t < taps; t++)
                {
                    acc = Fma.MultiplyAdd(Vector256.Create(pw[t]), Avx.LoadVector256(sc + offs[t]), acc);
                }

                var mask = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(c - cs)).AsSingle();
                Avx.MaskStore(orow + cs, mask, acc);
            }
        }
    }

    private static (int[] Ints, float[] Weights) TapBuffers(int taps)
    {
        if (t_tapWeights is null || t_tapWeights.Length < taps)
        {
            t_tapInts = new int[3 * taps];
            t_tapWeights = new float[taps];
        }

        return (t_tapInts!, t_tapWeights);
    }
}
