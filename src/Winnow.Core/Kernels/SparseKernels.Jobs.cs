using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static unsafe partial class SparseKernels
{
    /// <summary>Lane mask whose first <paramref name="count"/> lanes are set (0 &lt; count &lt; 8), for AVX masked loads and stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TailMask(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();

    /// <summary>One item = one row of C over one column panel; the row's products are summed in index order.</summary>
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
            for (; j + 32 <= j1; j += 32)
            {
                float* cj = crow + j;
                Vector256<float> a0 = accumulate ? Avx.LoadVector256(cj) : Vector256<float>.Zero;
                Vector256<float> a1 = accumulate ? Avx.LoadVector256(cj + 8) : Vector256<float>.Zero;
                Vector256<float> a2 = accumulate ? Avx.LoadVector256(cj + 16) : Vector256<float>.Zero;
                Vector256<float> a3 = accumulate ? Avx.LoadVector256(cj + 24) : Vector256<float>.Zero;
                for (int p = p0; p < p1; p++)
                {
                    Vector256<float> v = Vector256.Create(values[p]);
                    float* bj = b + (long)colIdx[p] * ldb + j;
                    a0 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj), a0);
                    a1 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 8), a1);
                    a2 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 16), a2);
                    a3 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 24), a3);
                }

                Avx.Store(cj, a0);
                Avx.Store(cj + 8, a1);
                Avx.Store(cj + 16, a2);
                Avx.Store(cj + 24, a3);
            }

            for (; j < j1; j += 8)
            {
                float* cj = crow + j;
                bool full = j + 8 <= j1;
                Vector256<float> mask = full ? Vector256<float>.AllBitsSet : TailMask(j1 - j);
                Vector256<float> acc = !accumulate ? Vector256<float>.Zero : full ? Avx.LoadVector256(cj) : Avx.MaskLoad(cj, mask);
                for (int p = p0; p < p1; p++)
                {
                    float* bj = b + (long)colIdx[p] * ldb + j;
                    acc = Fma.MultiplyAdd(Vector256.Create(values[p]), full ? Avx.LoadVector256(bj) : Avx.MaskLoad(bj, mask), acc);
                }

                if (full)
                {
                    Avx.Store(cj, acc);
                }
                else
                {
                    Avx.MaskStore(cj, mask, acc);
                }
            }
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
