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
            SpMMRow(rowPtr[i], rowPtr[i + 1], colIdx, values, b, ldb, c + (long)i * ldc, j0, j1, accumulate);
        }
    }

    /// <summary>
    /// crow[j0, j1) (+)= Σ_p values[p]·b[colIdx[p], j0..j1) for p in [p0, p1), each element summed in index
    /// order (so any split of the columns gives the same bits): 32-wide passes (four FMA chains) while more
    /// than 40 columns remain, then the rest (1–40 columns) in one pass of up to five chains, the last one
    /// masked. A separate narrow pass would re-read the row's indices and wait on a single FMA chain for as
    /// long as a full pass (batch 100 = 32 + 32 + 36; a 48-wide panel = 32 + 16).
    /// </summary>
    private static void SpMMRow(int p0, int p1, int* colIdx, float* values, float* b, int ldb, float* crow, int j0, int j1, bool accumulate)
    {
        int j = j0;
        for (; j1 - j > 40; j += 32)
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

        if (j < j1)
        {
            SpMMRowRest(p0, p1, colIdx, values, b + j, ldb, crow + j, j1 - j, accumulate);
        }
    }

    /// <summary>
    /// cj[0, width) (+)= Σ_p values[p]·b[colIdx[p], ·) for 0 &lt; width ≤ 40: ⌈width/8⌉ accumulators, the last
    /// masked when width is not a multiple of 8; each element summed in index order.
    /// </summary>
    private static void SpMMRowRest(int p0, int p1, int* colIdx, float* values, float* b, int ldb, float* cj, int width, bool accumulate)
    {
        int vectors = (width + 7) >> 3;
        Vector256<float> mask = (width & 7) == 0 ? Vector256<float>.AllBitsSet : TailMask(width & 7);
        Vector256<float> a0 = Start(0), a1 = Start(1), a2 = Start(2), a3 = Start(3), a4 = Start(4);
        // The last vector is always a masked load (all lanes when the width is a multiple of 8), so each
        // case is one branch-free loop.
        switch (vectors)
        {
            case 1:
                for (int p = p0; p < p1; p++)
                {
                    float* bj = b + (long)colIdx[p] * ldb;
                    a0 = Fma.MultiplyAdd(Vector256.Create(values[p]), Avx.MaskLoad(bj, mask), a0);
                }

                break;
            case 2:
                for (int p = p0; p < p1; p++)
                {
                    Vector256<float> v = Vector256.Create(values[p]);
                    float* bj = b + (long)colIdx[p] * ldb;
                    a0 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj), a0);
                    a1 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 8, mask), a1);
                }

                break;
            case 3:
                for (int p = p0; p < p1; p++)
                {
                    Vector256<float> v = Vector256.Create(values[p]);
                    float* bj = b + (long)colIdx[p] * ldb;
                    a0 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj), a0);
                    a1 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 8), a1);
                    a2 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 16, mask), a2);
                }

                break;
            case 4:
                for (int p = p0; p < p1; p++)
                {
                    Vector256<float> v = Vector256.Create(values[p]);
                    float* bj = b + (long)colIdx[p] * ldb;
                    a0 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj), a0);
                    a1 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 8), a1);
                    a2 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 16), a2);
                    a3 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 24, mask), a3);
                }

                break;
            default:
                for (int p = p0; p < p1; p++)
                {
                    Vector256<float> v = Vector256.Create(values[p]);
                    float* bj = b + (long)colIdx[p] * ldb;
                    a0 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj), a0);
                    a1 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 8), a1);
                    a2 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 16), a2);
                    a3 = Fma.MultiplyAdd(v, Avx.LoadVector256(bj + 24), a3);
                    a4 = Fma.MultiplyAdd(v, Avx.MaskLoad(bj + 32, mask), a4);
                }

                break;
        }

        Put(0, a0);
        Put(1, a1);
        Put(2, a2);
        Put(3, a3);
        Put(4, a4);

        Vector256<float> Start(int i) =>
            !accumulate || i >= vectors ? Vector256<float>.Zero : i < vectors - 1 ? Avx.LoadVector256(cj + 8 * i) : Avx.MaskLoad(cj + 8 * i, mask);

        void Put(int i, Vector256<float> a)
        {
            if (i < vectors - 1)
            {
                Avx.Store(cj + 8 * i, a);
            }
            else if (i == vectors - 1)
            {
                Avx.MaskStore(cj + 8 * i, mask, a);
            }
        }
    }

    /// <summary>values[p] = wrow[colIdx[p]] for p in [p0, p1): one row's kept weights, from the dense weight row.</summary>
    private static void GatherRow(int p0, int p1, int* colIdx, float* wrow, float* values)
    {
        for (int p = p0; p < p1; p++)
        {
            values[p] = wrow[colIdx[p]];
        }
    }

    /// <summary>
    /// One item = <see cref="RowBlock"/> rows of S in a sparse Linear pass: gather their kept values
    /// (from the dense W at colIdx when <c>map</c> is null — the forward; else src[map[p]] — the CSC copy
    /// of the CSR values for the input gradient; not at all when <c>src</c> is null: values frozen),
    /// compute their rows of Cᵀ = S·B, and write them transposed into C (N, M) with the bias added (or
    /// added to C when accumulating) — one pass per block, so the gathered values and the block of Cᵀ are
    /// still in cache when used.
    /// </summary>
    private readonly struct SpMMTransposedJob(int* rowPtr, int* colIdx, float* src, int* map, int k, float* values, float* b, int n,
        float* ct, float* bias, float* c, int m, bool accumulate)
        : IParallelJob
    {
        public void Item(int block)
        {
            int r0 = block * RowBlock, r1 = Math.Min(m, r0 + RowBlock);
            for (int r = r0; r < r1; r++)
            {
                int p0 = rowPtr[r], p1 = rowPtr[r + 1];
                if (src is not null && map is null)
                {
                    GatherRow(p0, p1, colIdx, src + (long)r * k, values);
                }
                else if (src is not null)
                {
                    for (int p = p0; p < p1; p++)
                    {
                        values[p] = src[map[p]];
                    }
                }

                SpMMRow(p0, p1, colIdx, values, b, n, ct + (long)r * n, 0, n, false);
            }

            // C[j, r0..r1) (+)= Cᵀ[r0..r1, j] (+ bias[r0..r1)): 8×8 tiles, scalar edges.
            int j8 = r1 - r0 == RowBlock ? n & ~7 : 0;
            Vector256<float> add = bias is null || j8 == 0 ? Vector256<float>.Zero : Avx.LoadVector256(bias + r0);
            for (int j = 0; j < j8; j += 8)
            {
                TransposeTile(ct + (long)r0 * n + j, n, c + (long)j * m + r0, m, add, bias is not null, accumulate);
            }

            for (int j = j8; j < n; j++)
            {
                float* crow = c + (long)j * m;
                for (int r = r0; r < r1; r++)
                {
                    float v = ct[(long)r * n + j];
                    crow[r] = accumulate ? crow[r] + v : bias is null ? v : v + bias[r];
                }
            }
        }
    }

    /// <summary>
    /// One item = one row of dW: its kept entries, four at a time sharing each load of the row of
    /// <c>a</c> (eight FMA chains: four columns × even/odd vectors of the batch), then one at a time;
    /// every entry's dot product is summed in a fixed lane order.
    /// </summary>
    private readonly struct SddmmJob(int* rowPtr, int* colIdx, float* a, int lda, float* b, int ldb, float* dw, int n, int k, bool accumulate, bool zeroOthers)
        : IParallelJob
    {
        public void Item(int i)
        {
            float* drow = dw + (long)i * k;
            if (!accumulate && zeroOthers)
            {
                new Span<float>(drow, k).Clear();
            }

            float* arow = a + (long)i * lda;
            int p = rowPtr[i], end = rowPtr[i + 1];
            for (; p + 4 <= end; p += 4)
            {
                int c0 = colIdx[p], c1 = colIdx[p + 1], c2 = colIdx[p + 2], c3 = colIdx[p + 3];
                Vector128<float> sums = Dot4(arow, b + (long)c0 * ldb, b + (long)c1 * ldb, b + (long)c2 * ldb, b + (long)c3 * ldb, n);
                Put(drow + c0, sums.GetElement(0));
                Put(drow + c1, sums.GetElement(1));
                Put(drow + c2, sums.GetElement(2));
                Put(drow + c3, sums.GetElement(3));
            }

            for (; p < end; p++)
            {
                int col = colIdx[p];
                Put(drow + col, Dot(arow, b + (long)col * ldb, n));
            }
        }

        private void Put(float* d, float v) => *d = accumulate ? *d + v : v;

        /// <summary>(x·y0, x·y1, x·y2, x·y3) over n, each in the lane order of <see cref="Dot"/>'s two-chain sibling.</summary>
        private static Vector128<float> Dot4(float* x, float* y0, float* y1, float* y2, float* y3, int n)
        {
            Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
            int j = 0;
            for (; j + 16 <= n; j += 16)
            {
                Vector256<float> xa = Avx.LoadVector256(x + j), xb = Avx.LoadVector256(x + j + 8);
                s0 = Fma.MultiplyAdd(xa, Avx.LoadVector256(y0 + j), s0);
                s1 = Fma.MultiplyAdd(xa, Avx.LoadVector256(y1 + j), s1);
                s2 = Fma.MultiplyAdd(xa, Avx.LoadVector256(y2 + j), s2);
                s3 = Fma.MultiplyAdd(xa, Avx.LoadVector256(y3 + j), s3);
                t0 = Fma.MultiplyAdd(xb, Avx.LoadVector256(y0 + j + 8), t0);
                t1 = Fma.MultiplyAdd(xb, Avx.LoadVector256(y1 + j + 8), t1);
                t2 = Fma.MultiplyAdd(xb, Avx.LoadVector256(y2 + j + 8), t2);
                t3 = Fma.MultiplyAdd(xb, Avx.LoadVector256(y3 + j + 8), t3);
            }

            for (; j < n; j += 8)
            {
                bool full = j + 8 <= n;
                Vector256<float> mask = full ? Vector256<float>.AllBitsSet : TailMask(n - j);
                Vector256<float> xa = full ? Avx.LoadVector256(x + j) : Avx.MaskLoad(x + j, mask);
                t0 = Fma.MultiplyAdd(xa, full ? Avx.LoadVector256(y0 + j) : Avx.MaskLoad(y0 + j, mask), t0);
                t1 = Fma.MultiplyAdd(xa, full ? Avx.LoadVector256(y1 + j) : Avx.MaskLoad(y1 + j, mask), t1);
                t2 = Fma.MultiplyAdd(xa, full ? Avx.LoadVector256(y2 + j) : Avx.MaskLoad(y2 + j, mask), t2);
                t3 = Fma.MultiplyAdd(xa, full ? Avx.LoadVector256(y3 + j) : Avx.MaskLoad(y3 + j, mask), t3);
            }

            // Horizontal sums of the four pairs at once: hadd twice, then fold the two 128-bit halves.
            Vector256<float> h = Avx.HorizontalAdd(Avx.HorizontalAdd(Avx.Add(s0, t0), Avx.Add(s1, t1)), Avx.HorizontalAdd(Avx.Add(s2, t2), Avx.Add(s3, t3)));
            return Sse.Add(h.GetLower(), h.GetUpper());
        }

        /// <summary>x·y over n with two FMA chains, reduced like one lane of <see cref="Dot4"/>.</summary>
        private static float Dot(float* x, float* y, int n)
        {
            Vector256<float> s = Vector256<float>.Zero, t = s;
            int j = 0;
            for (; j + 16 <= n; j += 16)
            {
                s = Fma.MultiplyAdd(Avx.LoadVector256(x + j), Avx.LoadVector256(y + j), s);
                t = Fma.MultiplyAdd(Avx.LoadVector256(x + j + 8), Avx.LoadVector256(y + j + 8), t);
            }

            for (; j < n; j += 8)
            {
                bool full = j + 8 <= n;
                Vector256<float> mask = full ? Vector256<float>.AllBitsSet : TailMask(n - j);
                t = Fma.MultiplyAdd(full ? Avx.LoadVector256(x + j) : Avx.MaskLoad(x + j, mask), full ? Avx.LoadVector256(y + j) : Avx.MaskLoad(y + j, mask), t);
            }

            Vector256<float> h = Avx.HorizontalAdd(Avx.HorizontalAdd(Avx.Add(s, t), Vector256<float>.Zero), Vector256<float>.Zero);
            return Sse.Add(h.GetLower(), h.GetUpper()).ToScalar();
        }
    }

    /// <summary>One item = a block of <see cref="Block"/> rows of dst (columns of src), moved as 8×8 AVX tiles plus scalar edges.</summary>
    private readonly struct TransposeJob(float* src, float* dst, int rows, int cols, bool accumulate) : IParallelJob
    {
        public const int Block = 32;

        public void Item(int index)
        {
            int j0 = index * Block, j1 = Math.Min(cols, j0 + Block);
            bool vector = Avx.IsSupported && rows >= 8;
            int i8 = vector ? rows & ~7 : 0;
            for (int j = j0; j + 8 <= j1 && vector; j += 8)
            {
                for (int i = 0; i < i8; i += 8)
                {
                    TransposeTile(src + (long)i * cols + j, cols, dst + (long)j * rows + i, rows, Vector256<float>.Zero, false, accumulate);
                }

                if (i8 < rows)
                {
                    // The last rows % 8 rows (batch 100 = 12·8 + 4) as one partial tile, not 32 strided scalars.
                    TransposeTilePartial(src + (long)i8 * cols + j, cols, rows - i8, dst + (long)j * rows + i8, rows, accumulate);
                }
            }

            int jv = vector ? j0 + ((j1 - j0) & ~7) : j0;
            for (int j = jv; j < j1; j++)
            {
                float* d = dst + (long)j * rows;
                for (int i = 0; i < rows; i++)
                {
                    float v = src[(long)i * cols + j];
                    d[i] = accumulate ? d[i] + v : v;
                }
            }
        }

    }

    /// <summary>
    /// d (8 × count, stride ldd) = transpose of s (count × 8, stride lds) for 0 &lt; count &lt; 8 (or added to
    /// d's old values when <paramref name="accumulate"/>): the missing rows are zeros in the register
    /// transpose and the stores are masked to the first <paramref name="count"/> lanes.
    /// </summary>
    private static void TransposeTilePartial(float* s, int lds, int count, float* d, int ldd, bool accumulate)
    {
        Vector256<float> z = Vector256<float>.Zero;
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = count > 1 ? Avx.LoadVector256(s + lds) : z, r2 = count > 2 ? Avx.LoadVector256(s + 2 * lds) : z;
        Vector256<float> r3 = count > 3 ? Avx.LoadVector256(s + 3 * lds) : z, r4 = count > 4 ? Avx.LoadVector256(s + 4 * lds) : z;
        Vector256<float> r5 = count > 5 ? Avx.LoadVector256(s + 5 * lds) : z, r6 = count > 6 ? Avx.LoadVector256(s + 6 * lds) : z;
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, z), t7 = Avx.UnpackHigh(r6, z);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Vector256<float> mask = TailMask(count);
        Put(d, Avx.Permute2x128(u0, u4, 0x20));
        Put(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Put(d + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Put(d + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Put(d + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Put(d + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Put(d + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Put(d + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));

        void Put(float* p, Vector256<float> v) => Avx.MaskStore(p, mask, accumulate ? Avx.Add(Avx.MaskLoad(p, mask), v) : v);
    }

    /// <summary>
    /// d (8×8, stride ldd) = transpose of s (8×8, stride lds), plus <paramref name="add"/> on every row of d
    /// when <paramref name="addRows"/>, or added to d's old values when <paramref name="accumulate"/>.
    /// </summary>
    private static void TransposeTile(float* s, int lds, float* d, int ldd, Vector256<float> add, bool addRows, bool accumulate)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds), r2 = Avx.LoadVector256(s + 2 * lds), r3 = Avx.LoadVector256(s + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * lds), r5 = Avx.LoadVector256(s + 5 * lds), r6 = Avx.LoadVector256(s + 6 * lds), r7 = Avx.LoadVector256(s + 7 * lds);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Put(d, Avx.Permute2x128(u0, u4, 0x20));
        Put(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Put(d + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Put(d + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Put(d + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Put(d + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Put(d + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Put(d + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));

        void Put(float* p, Vector256<float> v) => Avx.Store(p, accumulate ? Avx.Add(Avx.LoadVector256(p), v) : addRows ? Avx.Add(v, add) : v);
    }
}
