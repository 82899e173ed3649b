using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static partial class Sgemm
{
    /// <summary>Depth of one K block: a B micro-panel (KC × NR) stays in L1.</summary>
    internal const int KC = 256;

    /// <summary>Rows of A per compute task: an A block (MC × KC) stays in L2.</summary>
    internal const int MC = 144;

    /// <summary>Columns of B packed at once (KC × NC in L3).</summary>
    internal const int NC = 4080;

    /// <summary>Rows of A packed at once (bounds the packed-A workspace).</summary>
    internal const int MO = 1536;

    /// <summary>Below this many flops (2·m·n·k) one thread is faster than waking another.</summary>
    internal const long ParallelMinFlops = 1_500_000;

    /// <summary>A is packed when each of its panels is reused by more than this many columns of C.</summary>
    internal const int PackAMinN = 64;

    /// <summary>Untransposed B is packed when it is reused by more than this many rows of C.</summary>
    internal const int PackBMinM = 48;

    /// <summary>True where the register-tiled path runs; elsewhere <see cref="Gemm"/> uses the naive loop.</summary>
    internal static bool IsAccelerated => Fma.IsSupported && Avx.IsSupported;

    private static void CheckArguments(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix("a", transA ? k : m, transA ? m : k, aLength, lda, "lda", transA ? "K×M (transA)" : "M×K");
        CheckMatrix("b", transB ? n : k, transB ? k : n, bLength, ldb, "ldb", transB ? "N×K (transB)" : "K×N");
        CheckMatrix("c", m, n, cLength, ldc, "ldc", "M×N");
    }

    private static void CheckMatrix(string name, int rows, int cols, int length, int ld, string ldName, string shape)
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        if (ld < cols)
        {
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"Sgemm.Gemm: {ldName} = {ld} is smaller than a row of {name} ({shape} = {rows}×{cols}); the row stride must be at least {cols}.");
        }

        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"Sgemm.Gemm: {name} holds {length} floats but {shape} = {rows}×{cols} with {ldName} = {ld} needs {needed}.", name);
        }
    }

    /// <summary>C = beta·C, for k = 0 or alpha = 0 (A and B are not read, as in BLAS).</summary>
    private static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1f)
        {
            return;
        }

        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    /// <summary>
    /// The blocked driver. For each K block (fixed by k alone, so every C element sums its products
    /// in the same order whatever the thread count): pack op(A) into MR panels and op(B) into NR
    /// panels (one parallel phase), then run the register tile over disjoint blocks of C (a second
    /// parallel phase). The first K block applies beta; later ones accumulate into C.
    /// Operands that are cheap to read in place (small reuse) are not packed.
    /// </summary>
    private static unsafe void GemmBlocked(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        GemmJob job = GemmJob.ForCurrentThread;
        long flops = 2L * m * n * k;
        int threads = flops < ParallelMinFlops ? 1 : Parallelism.MaxThreads;
        bool packA = n > PackAMinN;
        bool packB = transB || m > PackBMinM;
        int kBlocks = (k + KC - 1) / KC;
        int kcNominal = (k + kBlocks - 1) / kBlocks;
        job.Begin(transA, transB, m, n, alpha, a, lda, b, ldb, c, ldc, packA, packB, threads, kcNominal);
        try
        {
            for (int jc = 0; jc < n; jc += NC)
            {
                int nc = Math.Min(NC, n - jc);
                for (int pc = 0; pc < k; pc += kcNominal)
                {
                    int kc = Math.Min(kcNominal, k - pc);
                    bool first = pc == 0;
                    for (int ic = 0; ic < m; ic += MO)
                    {
                        job.RunBlock(ic, Math.Min(MO, m - ic), jc, nc, pc, kc, packBPanels: ic == 0,
                            loadC: !first || beta != 0f, betaEff: first ? beta : 1f);
                    }
                }
            }
        }
        finally
        {
            job.End();
        }
    }
}
