using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static partial class Sgemm
{
    /// <summary>
    /// Packs rows [i0, i0 + rows) × columns [p0, p0 + kc) of op(A) into row panels of MR:
    /// panel q holds element (q·MR + r, p) at <c>dst[q·MR·kc + p·MR + r]</c>; rows past the end are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA(bool transA, float* a, nint lda, int i0, int rows, int p0, int kc, float* dst)
    {
        for (int q = 0; q < rows; q += MR, dst += MR * kc)
        {
            int mr = Math.Min(MR, rows - q);
            if (transA)
            {
                // A stored (K, M): the MR values of step p are contiguous.
                float* src = a + (nint)p0 * lda + i0 + q;
                for (int p = 0; p < kc; p++, src += lda)
                {
                    float* d = dst + p * MR;
                    int r = 0;
                    for (; r < mr; r++)
                    {
                        d[r] = src[r];
                    }

                    for (; r < MR; r++)
                    {
                        d[r] = 0f;
                    }
                }
            }
            else if (mr == MR)
            {
                PackARowPanel(a + (nint)(i0 + q) * lda + p0, lda, kc, dst);
            }
            else
            {
                // Ragged last panel: walk each row along its contiguous storage, then zero the rest.
                for (int r = 0; r < mr; r++)
                {
                    float* src = a + (nint)(i0 + q + r) * lda + p0;
                    for (int p = 0; p < kc; p++)
                    {
                        dst[p * MR + r] = src[p];
                    }
                }

                for (int p = 0; p < kc; p++)
                {
                    for (int r = mr; r < MR; r++)
                    {
                        dst[p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>Six rows of row-major A (stride lda) into one MR panel: 8×8 register transposes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackARowPanel(float* src, nint lda, int kc, float* dst)
    {
        float* s0 = src, s1 = src + lda, s2 = src + 2 * lda, s3 = src + 3 * lda, s4 = src + 4 * lda, s5 = src + 5 * lda;
        int p = 0;
        if (Avx.IsSupported)
        {
            // Each transposed column is stored 8 wide; the 2 extra floats are overwritten by the next
            // column, and the loop stops while at least one step remains so nothing leaves the panel.
            Vector256<float> zero = Vector256<float>.Zero;
            for (; p + 8 < kc; p += 8)
            {
                Transpose8x8(Vector256.Load(s0 + p), Vector256.Load(s1 + p), Vector256.Load(s2 + p), Vector256.Load(s3 + p),
                    Vector256.Load(s4 + p), Vector256.Load(s5 + p), zero, zero,
                    out var o0, out var o1, out var o2, out var o3, out var o4, out var o5, out var o6, out var o7);
                float* d = dst + p * MR;
                o0.Store(d);
                o1.Store(d + MR);
                o2.Store(d + 2 * MR);
                o3.Store(d + 3 * MR);
                o4.Store(d + 4 * MR);
                o5.Store(d + 5 * MR);
                o6.Store(d + 6 * MR);
                o7.Store(d + 7 * MR);
            }
        }

        for (; p < kc; p++)
        {
            float* d = dst + p * MR;
            d[0] = s0[p];
            d[1] = s1[p];
            d[2] = s2[p];
            d[3] = s3[p];
            d[4] = s4[p];
            d[5] = s5[p];
        }
    }

    /// <summary>
    /// Packs rows [p0, p0 + kc) × columns [j0, j0 + cols) of op(B) into column panels of NR:
    /// panel s holds element (p, s·NR + j) at <c>dst[s·NR·kc + p·NR + j]</c>; columns past the end are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB(bool transB, float* b, nint ldb, int j0, int cols, int p0, int kc, float* dst)
    {
        for (int s = 0; s < cols; s += NR, dst += NR * kc)
        {
            int nr = Math.Min(NR, cols - s);
            if (!transB && nr == NR)
            {
                float* src = b + (nint)p0 * ldb + j0 + s;
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    Vector256.Load(src).Store(dst + p * NR);
                    Vector256.Load(src + 8).Store(dst + p * NR + 8);
                }
            }
            else if (transB && nr == NR)
            {
                PackBColumnPanel(b + (nint)(j0 + s) * ldb + p0, ldb, kc, dst);
            }
            else
            {
                // Ragged last panel: zero-padded to NR columns, read along B's contiguous direction.
                for (int p = 0; p < kc; p++)
                {
                    new Span<float>(dst + p * NR + nr, NR - nr).Clear();
                }

                if (transB)
                {
                    for (int j = 0; j < nr; j++)
                    {
                        float* src = b + (nint)(j0 + s + j) * ldb + p0;
                        for (int p = 0; p < kc; p++)
                        {
                            dst[p * NR + j] = src[p];
                        }
                    }
                }
                else
                {
                    float* src = b + (nint)p0 * ldb + j0 + s;
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        new ReadOnlySpan<float>(src, nr).CopyTo(new Span<float>(dst + p * NR, nr));
                    }
                }
            }
        }
    }

    /// <summary>Sixteen rows of Bᵀ storage (B stored (N,K), stride ldb) into one NR panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackBColumnPanel(float* src, nint ldb, int kc, float* dst)
    {
        int p = 0;
        if (Avx.IsSupported)
        {
            for (; p + 8 <= kc; p += 8)
            {
                float* d = dst + p * NR;
                for (int half = 0; half < 2; half++)
                {
                    float* s = src + half * 8 * ldb + p;
                    Transpose8x8(Vector256.Load(s), Vector256.Load(s + ldb), Vector256.Load(s + 2 * ldb), Vector256.Load(s + 3 * ldb),
                        Vector256.Load(s + 4 * ldb), Vector256.Load(s + 5 * ldb), Vector256.Load(s + 6 * ldb), Vector256.Load(s + 7 * ldb),
                        out var o0, out var o1, out var o2, out var o3, out var o4, out var o5, out var o6, out var o7);
                    float* dh = d + half * 8;
                    o0.Store(dh);
                    o1.Store(dh + NR);
                    o2.Store(dh + 2 * NR);
                    o3.Store(dh + 3 * NR);
                    o4.Store(dh + 4 * NR);
                    o5.Store(dh + 5 * NR);
                    o6.Store(dh + 6 * NR);
                    o7.Store(dh + 7 * NR);
                }
            }
        }

        for (; p < kc; p++)
        {
            float* d = dst + p * NR;
            for (int j = 0; j < NR; j++)
            {
                d[j] = src[j * ldb + p];
            }
        }
    }

    /// <summary>Transposes the 8×8 block whose rows are r0..r7: o_j = (r0[j], r1[j], ..., r7[j]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3,
        out Vector256<float> o4, out Vector256<float> o5, out Vector256<float> o6, out Vector256<float> o7)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        o0 = Avx.Permute2x128(u0, u4, 0x20);
        o1 = Avx.Permute2x128(u1, u5, 0x20);
        o2 = Avx.Permute2x128(u2, u6, 0x20);
        o3 = Avx.Permute2x128(u3, u7, 0x20);
        o4 = Avx.Permute2x128(u0, u4, 0x31);
        o5 = Avx.Permute2x128(u1, u5, 0x31);
        o6 = Avx.Permute2x128(u2, u6, 0x31);
        o7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
