namespace Winnow.Kernels;

/// <summary>
/// Single-precision general matrix multiply, row-major:
/// C (M,N) = alpha · op(A) (M,K) · op(B) (K,N) + beta · C.
/// op(A) = A stored (M,K) with row stride lda, or Aᵀ when <c>transA</c> (A stored (K,M)).
/// op(B) = B stored (K,N) with row stride ldb, or Bᵀ when <c>transB</c> (B stored (N,K)).
/// beta = 0 overwrites C without reading it (NaNs in C are not propagated), as BLAS does.
/// </summary>
public static partial class Sgemm
{
    /// <summary>Naive triple loop; the test oracle for <see cref="Gemm"/>. Sums over k in order, in float.</summary>
    public static void GemmNaive(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }

                ref float cij = ref c[i * ldc + j];
                cij = beta == 0f ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }

    /// <summary>
    /// Fast SGEMM (packed, cache-blocked, Vector256 FMA, all cores). Same contract as <see cref="GemmNaive"/>;
    /// as in BLAS, A and B are not read when k = 0 or alpha = 0 (then C = beta·C).
    /// Results are bit-identical for every <see cref="Parallelism.MaxThreads"/>: threads split C into
    /// disjoint tiles and the K blocking depends on k only. Products are summed with fused
    /// multiply-adds in K blocks, so bits differ slightly from <see cref="GemmNaive"/>.
    /// Without AVX2 + FMA it falls back to the naive loop.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or a row stride is shorter than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its shape and stride.</exception>
    // a: (M,K), or (K,M) if transA; b: (K,N), or (N,K) if transB -> c: (M,N)
    public static unsafe void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        CheckArguments(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        if (!IsAccelerated)
        {
            GemmNaive(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmBlocked(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }
}
