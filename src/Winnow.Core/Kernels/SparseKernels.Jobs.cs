using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static unsafe partial class SparseKernels
{
    /// <summary>Lane mask whose first <paramref name="count"/> lanes are set (none when count ≤ 0, all when count ≥ 8), for AVX masked loads and stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TailMask(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();

    /// <summary>
    /// One item = one row of C over one column panel; the row's products are summed in index order.
    /// The panel is covered in 64-wide blocks (8 accumulators, so the FMA chains hide their latency and a
    /// row's index is read once per 64 columns), then one masked block of up to 64 for the rest: a batch
    /// of 100 takes two passes over the row's index instead of four latency-bound ones.
    /// </summary>
    private readonly struct SpMMJob(int* rowPtr, int* colIdx, float* values, float* b, int ldb, float* c, int ldc, int n, int panels, bool accumulate)
        : IParallelJob
    {
        public void Item(int index)
        {
            int i = index / panels, panel = index % panels;
            int j0 = panels == 1 ? 0 : panel * PanelWidth, j1 = panels == 1 ? n : Math.Min(n, j0 + PanelWidth);
            int p0 = rowPtr[i], p1 = rowPtr[i + 1];
            float* crow = c + (long)i * ldc;
            int j = j0;
            for (; j + 64 <= j1; j += 64)
            {
                Block64(crow + j, j, p0, p1);
            }

            int rest = j1 - j;
            if (rest > 32)
            {
                Tail64(crow + j, j, p0, p1, rest);
            }
            else if (rest > 0)
            {
                Tail32(crow + j, j, p0, p1, rest);
            }
        }

        private void Block64(float* cj, int j, int p0, int p1)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            if (accumulate)
            {
                (a0, a1, a2, a3) = (Avx.LoadVector256(cj), Avx.LoadVector256(cj + 8), Avx.LoadVector256(cj + 16), Avx.LoadVector256(cj + 24));
                (a4, a5, a6, a7) = (Avx.LoadVector256(cj + 32), Avx.LoadVector256(cj + 40), Avx.LoadVector256(cj + 48), Avx.LoadVector256(cj + 56));
            }

            for (int p = p0; p < p1; p++)
            {
                Vector256<float> v = Vector256.Create(values[p]);
                float* bj = b + (long)colIdx[p] * ldb + j;
                a0 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj), a0);
                a1 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 8), a1);
                a2 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 16), a2);
                a3 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 24), a3);
                a4 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 32), a4);
                a5 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 40), a5);
                a6 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 48), a6);
                a7 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 56), a7);
            }

            Avx.Store(cj, a0);
            Avx.Store(cj + 8, a1);
            Avx.Store(cj + 16, a2);
            Avx.Store(cj + 24, a3);
            Avx.Store(cj + 32, a4);
            Avx.Store(cj + 40, a5);
            Avx.Store(cj + 48, a6);
            Avx.Store(cj + 56, a7);
        }

        /// <summary>32 &lt; rest &lt; 64 columns: four full vectors, then four masked ones (lanes past rest neither read nor written).</summary>
        private void Tail64(float* cj, int j, int p0, int p1, int rest)
        {
            Vector256<float> m4 = TailMask(rest - 32), m5 = TailMask(rest - 40), m6 = TailMask(rest - 48), m7 = TailMask(rest - 56);
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            if (accumulate)
            {
                (a0, a1, a2, a3) = (Avx.LoadVector256(cj), Avx.LoadVector256(cj + 8), Avx.LoadVector256(cj + 16), Avx.LoadVector256(cj + 24));
                (a4, a5, a6, a7) = (Avx.MaskLoad(cj + 32, m4), Avx.MaskLoad(cj + 40, m5), Avx.MaskLoad(cj + 48, m6), Avx.MaskLoad(cj + 56, m7));
            }

            for (int p = p0; p < p1; p++)
            {
                Vector256<float> v = Vector256.Create(values[p]);
                float* bj = b + (long)colIdx[p] * ldb + j;
                a0 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj), a0);
                a1 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 8), a1);
                a2 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 16), a2);
                a3 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 24), a3);
                a4 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 32, m4), a4);
                a5 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 40, m5), a5);
                a6 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 48, m6), a6);
                a7 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 56, m7), a7);
            }

            Avx.Store(cj, a0);
            Avx.Store(cj + 8, a1);
            Avx.Store(cj + 16, a2);
            Avx.Store(cj + 24, a3);
            Avx.MaskStore(cj + 32, m4, a4);
            Avx.MaskStore(cj + 40, m5, a5);
            Avx.MaskStore(cj + 48, m6, a6);
            Avx.MaskStore(cj + 56, m7, a7);
        }

        /// <summary>0 &lt; rest ≤ 32 columns: four masked vectors.</summary>
        private void Tail32(float* cj, int j, int p0, int p1, int rest)
        {
            Vector256<float> m0 = TailMask(rest), m1 = TailMask(rest - 8), m2 = TailMask(rest - 16), m3 = TailMask(rest - 24);
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            if (accumulate)
            {
                (a0, a1, a2, a3) = (Avx.MaskLoad(cj, m0), Avx.MaskLoad(cj + 8, m1), Avx.MaskLoad(cj + 16, m2), Avx.MaskLoad(cj + 24, m3));
            }

            for (int p = p0; p < p1; p++)
            {
                Vector256<float> v = Vector256.Create(values[p]);
                float* bj = b + (long)colIdx[p] * ldb + j;
                a0 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj, m0), a0);
                a1 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 8, m1), a1);
                a2 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 16, m2), a2);
                a3 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 24, m3), a3);
            }

            Avx.MaskStore(cj, m0, a0);
            Avx.MaskStore(cj + 8, m1, a1);
            Avx.MaskStore(cj + 16, m2, a2);
            Avx.MaskStore(cj + 24, m3, a3);
        }
    }

    /// <summary>One item = one row of dW: its kept entries, each a dot product over n in a fixed lane order.</summary>
    private readonly struct SddmmJob(int* rowPtr, int* colIdx, float* a, int lda, float* b, int ldb, float* dw, int n, int k, bool accumulate)
        : IParallelJob
    {
        public void Item(int i)
        {
            float* drow = dw + (long)i * k;
            if (!accumulate)
            {
                new Span<float>(drow, k).Clear();
            }

            float* arow = a + (long)i * lda;
            for (int p = rowPtr[i], end = rowPtr[i + 1]; p < end; p++)
            {
                int col = colIdx[p];
                drow[col] += Dot(arow, b + (long)col * ldb, n);
            }
        }

        private static float Dot(float* x, float* y, int n)
        {
            Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
            int j = 0;
            for (; j + 32 <= n; j += 32)
            {
                s0 = Fma.MultiplyAdd(Avx.LoadVector256(x + j), Avx.LoadVector256(y + j), s0);
                s1 = Fma.MultiplyAdd(Avx.LoadVector256(x + j + 8), Avx.LoadVector256(y + j + 8), s1);
                s2 = Fma.MultiplyAdd(Avx.LoadVector256(x + j + 16), Avx.LoadVector256(y + j + 16), s2);
                s3 = Fma.MultiplyAdd(Avx.LoadVector256(x + j + 24), Avx.LoadVector256(y + j + 24), s3);
            }

            for (; j + 8 <= n; j += 8)
            {
                s0 = Fma.MultiplyAdd(Avx.LoadVector256(x + j), Avx.LoadVector256(y + j), s0);
            }

            if (j < n)
            {
                Vector256<float> mask = TailMask(n - j);
                s1 = Fma.MultiplyAdd(Avx.MaskLoad(x + j, mask), Avx.MaskLoad(y + j, mask), s1);
            }

            return Vector256.Sum(Avx.Add(Avx.Add(s0, s1), Avx.Add(s2, s3)));
        }
    }

    /// <summary>One item = a block of <see cref="Block"/> rows of dst (columns of src), moved as 8×8 AVX tiles plus scalar edges.</summary>
    private readonly struct TransposeJob(float* src, float* dst, int rows, int cols, bool accumulate) : IParallelJob
    {
        public const int Block = 32;

        public void Item(int index)
        {
            int j0 = index * Block, j1 = Math.Min(cols, j0 + Block);
            int i8 = Avx.IsSupported ? rows & ~7 : 0;
            for (int j = j0; j + 8 <= j1 && i8 > 0; j += 8)
            {
                for (int i = 0; i < i8; i += 8)
                {
                    Tile(src + (long)i * cols + j, cols, dst + (long)j * rows + i, rows);
                }
            }

            int jv = i8 > 0 ? j0 + ((j1 - j0) & ~7) : j0;
            for (int j = j0; j < j1; j++)
            {
                float* d = dst + (long)j * rows;
                for (int i = j < jv ? i8 : 0; i < rows; i++)
                {
                    float v = src[(long)i * cols + j];
                    d[i] = accumulate ? d[i] + v : v;
                }
            }
        }

        /// <summary>d (8×8, stride ldd) (+)= transpose of s (8×8, stride lds).</summary>
        private void Tile(float* s, int lds, float* d, int ldd)
        {
            Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds), r2 = Avx.LoadVector256(s + 2 * lds), r3 = Avx.LoadVector256(s + 3 * lds);
            Vector256<float> r4 = Avx.LoadVector256(s + 4 * lds), r5 = Avx.LoadVector256(s + 5 * lds), r6 = Avx.LoadVector256(s + 6 * lds), r7 = Avx.LoadVector256(s + 7 * lds);
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
            Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
            Store(d + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
            Store(d + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
            Store(d + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
            Store(d + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
            Store(d + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
            Store(d + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));
        }

        private void Store(float* d, Vector256<float> v) => Avx.Store(d, accumulate ? Avx.Add(Avx.LoadVector256(d), v) : v);
    }
}
