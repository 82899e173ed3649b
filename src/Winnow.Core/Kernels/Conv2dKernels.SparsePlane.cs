using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    [ThreadStatic] private static int[]? t_tapInts;
    [ThreadStatic] private static float[]? t_tapWeights;

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

        for (int r = rA; r < rB; r++)
        {
            float* orow = outp + r * outW;
            float* srow = src + r * srcW;
            int c = cA;
            for (; c + 8 <= cB; c += 8)
            {
                Vector256<float> acc = Avx.LoadVector256(orow + c);
                for (int t = 0; t < taps; t++)
                {
                    float* s = srow + (long)ints[3 * t] * srcPlane + ints[3 * t + 1] * srcW + ints[3 * t + 2] + c;
                    acc = Fma.MultiplyAdd(Vector256.Create(weights[t]), Avx.LoadVector256(s), acc);
                }

                Avx.Store(orow + c, acc);
            }

            if (c < cB)
            {
                // The last, overlapping vector: lanes before c are final already and are not stored again.
                int cs = cB - 8;
                Vector256<float> acc = Avx.LoadVector256(orow + cs);
                for (int t = 0; t < taps; t++)
                {
                    float* s = srow + (long)ints[3 * t] * srcPlane + ints[3 * t + 1] * srcW + ints[3 * t + 2] + cs;
                    acc = Fma.MultiplyAdd(Vector256.Create(weights[t]), Avx.LoadVector256(s), acc);
                }

                var mask = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(c - cs)).AsSingle();
                Avx.MaskStore(orow + cs, mask, acc);
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
