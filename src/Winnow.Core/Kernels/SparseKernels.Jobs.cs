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

    /// <summary>One item = a block of <see cref="Block"/> rows of dst (columns of src).</summary>
    private readonly struct TransposeJob(float* src, float* dst, int rows, int cols, bool accumulate) : IParallelJob
    {
        public const int Block = 16;

        public void Item(int index)
        {
            int j0 = index * Block, j1 = Math.Min(cols, j0 + Block);
            for (int i0 = 0; i0 < rows; i0 += Block)
            {
                int i1 = Math.Min(rows, i0 + Block);
                for (int j = j0; j < j1; j++)
                {
                    float* d = dst + (long)j * rows;
                    for (int i = i0; i < i1; i++)
                    {
                        float v = src[(long)i * cols + j];
                        d[i] = accumulate ? d[i] + v : v;
                    }
                }
            }
        }
    }
}
