namespace Winnow.Kernels;

public static partial class SparseKernels
{
    /// <summary>Naive twin of <see cref="SpMM"/>: sums each row's kept products in index order, in float.</summary>
    public static void SpMMNaive(int m, int n, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> values,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++)
                {
                    sum += values[p] * b[colIdx[p] * ldb + j];
                }

                ref float cij = ref c[i * ldc + j];
                cij = accumulate ? cij + sum : sum;
            }
        }
    }

    /// <summary>Naive twin of <see cref="Sddmm"/>: plain dot products in order, in float.</summary>
    public static void SddmmNaive(int m, int n, int k, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> dw, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            if (!accumulate)
            {
                dw.Slice(i * k, k).Clear();
            }

            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++)
            {
                float sum = 0f;
                for (int j = 0; j < n; j++)
                {
                    sum += a[i * lda + j] * b[colIdx[p] * ldb + j];
                }

                dw[i * k + colIdx[p]] += sum;
            }
        }
    }
}
