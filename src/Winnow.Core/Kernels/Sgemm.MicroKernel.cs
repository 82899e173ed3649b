using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static partial class Sgemm
{
    /// <summary>Rows of C per register tile.</summary>
    internal const int MR = 6;

    /// <summary>Columns of C per register tile (two Vector256).</summary>
    internal const int NR = 16;

    /// <summary>
    /// The register tile: 12 Vector256 accumulators (6 rows × 2 vectors), 2 B vectors and 1 broadcast
    /// = 15 of the 16 AVX2 registers (alpha takes the 16th; beta is only needed after the loop).
    /// Checked with <c>DOTNET_JitDisasm=MicroKernel DOTNET_EnableAVX512=0</c>: the k loop is 2 loads,
    /// 6 broadcasts and 12 FMAs with no stack traffic. Keep it that way: a spilled accumulator costs 4–5×.
    /// </summary>
    /// <remarks>
    /// a: (MR, kc), element (r, p) at <c>a[r·rsA + p·csA]</c> (packed: rsA = 1, csA = MR; or A read
    /// in place, either orientation); b: (kc, NR), row p = NR contiguous floats at <c>b + p·rsB</c>;
    /// c: (MR, NR) with row stride ldc. Each accumulator is an FMA chain over p in order from zero,
    /// then c = alpha·acc, or c = fma(beta, c, alpha·acc) when <paramref name="loadC"/>.
    /// <see cref="MicroKernelEdge"/> does the same arithmetic, so a C element's bits never depend on
    /// which tile (or thread) it fell in.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel(int kc, float* a, nint rsA, nint csA, float* b, nint rsB,
        float* c, nint ldc, float alpha, float beta, bool loadC)
    {
        nint r2 = rsA * 2, r3 = rsA * 3, r4 = rsA * 4, r5 = rsA * 5;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> av = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[rsA]);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[r2]);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[r3]);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[r4]);
            c40 = Fma.MultiplyAdd(av, b0, c40);
            c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[r5]);
            c50 = Fma.MultiplyAdd(av, b0, c50);
            c51 = Fma.MultiplyAdd(av, b1, c51);
            a += csA;
            b += rsB;
        }

        Vector256<float> va = Vector256.Create(alpha);
        if (loadC)
        {
            Vector256<float> vb = Vector256.Create(beta);
            StoreRow(c, vb, c00 * va, c01 * va);
            StoreRow(c + ldc, vb, c10 * va, c11 * va);
            StoreRow(c + 2 * ldc, vb, c20 * va, c21 * va);
            StoreRow(c + 3 * ldc, vb, c30 * va, c31 * va);
            StoreRow(c + 4 * ldc, vb, c40 * va, c41 * va);
            StoreRow(c + 5 * ldc, vb, c50 * va, c51 * va);
        }
        else
        {
            (c00 * va).Store(c);
            (c01 * va).Store(c + 8);
            (c10 * va).Store(c + ldc);
            (c11 * va).Store(c + ldc + 8);
            (c20 * va).Store(c + 2 * ldc);
            (c21 * va).Store(c + 2 * ldc + 8);
            (c30 * va).Store(c + 3 * ldc);
            (c31 * va).Store(c + 3 * ldc + 8);
            (c40 * va).Store(c + 4 * ldc);
            (c41 * va).Store(c + 4 * ldc + 8);
            (c50 * va).Store(c + 5 * ldc);
            (c51 * va).Store(c + 5 * ldc + 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(float* c, Vector256<float> beta, Vector256<float> t0, Vector256<float> t1)
    {
        Fma.MultiplyAdd(beta, Vector256.Load(c), t0).Store(c);
        Fma.MultiplyAdd(beta, Vector256.Load(c + 8), t1).Store(c + 8);
    }

    /// <summary>
    /// A partial tile (<paramref name="mr"/> ≤ MR rows, <paramref name="nr"/> ≤ NR columns): the full
    /// kernel runs on zero-padded sources into a scratch tile, and only the valid part reaches C,
    /// with the same rounding as the full kernel (alpha·acc, then one fused multiply-add with C).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernelEdge(int mr, int nr, int kc, float* a, nint rsA, nint csA,
        float* b, nint rsB, float* c, nint ldc, float alpha, float beta, bool loadC)
    {
        float* t = stackalloc float[MR * NR];
        MicroKernel(kc, a, rsA, csA, b, rsB, t, NR, alpha, 0f, false);
        for (int r = 0; r < mr; r++)
        {
            float* cr = c + r * ldc;
            float* tr = t + r * NR;
            if (loadC)
            {
                for (int j = 0; j < nr; j++)
                {
                    cr[j] = MathF.FusedMultiplyAdd(beta, cr[j], tr[j]);
                }
            }
            else
            {
                for (int j = 0; j < nr; j++)
                {
                    cr[j] = tr[j];
                }
            }
        }
    }
}
