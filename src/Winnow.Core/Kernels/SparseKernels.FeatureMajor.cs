using System.Numerics.Tensors;

namespace Winnow.Kernels;

public static unsafe partial class SparseKernels
{
    // w: (M,K) dense, s: (M,K) pattern, xt: (K,N) -> values: (nnz) = w at the kept positions, yt: (M,N) = act(S·xt + bias)
    /// <summary>
    /// The sparse Linear forward that stays feature-major: per block of output rows, gathers the kept
    /// entries of <paramref name="w"/> into <paramref name="values"/>, computes the rows of
    /// Yᵀ = S·Xᵀ exactly as <see cref="SpMM"/> does, adds <paramref name="bias"/> (empty for none) and,
    /// when <paramref name="relu"/>, applies max(·, 0) — while each row is still in L1. The output is the
    /// next layer's input as is, so a stack of sparse layers pays for one transpose in and one out
    /// instead of two per layer. Element for element the same arithmetic as
    /// <see cref="LinearForward"/> followed by a ReLU, so the results are bit-identical to it (and for any
    /// thread count). With <paramref name="w"/> empty, <paramref name="values"/> already holds the kept
    /// weights (gathered once for inference, <see cref="SparseWeight.FreezeValues"/>) and is only read.
    /// </summary>
    public static void LinearForwardFeatureMajor(int m, int n, int k, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> w,
        Span<float> values, ReadOnlySpan<float> xt, ReadOnlySpan<float> bias, bool relu, Span<float> yt)
    {
        CheckLinearForward("LinearForwardFeatureMajor", m, n, k, rowPtr, colIdx, w, values.Length, xt, yt, bias);

        if (m == 0 || n == 0)
        {
            return;
        }

        if (!Sgemm.IsAccelerated)
        {
            GatherNaive(m, k, rowPtr, colIdx, w, values);
            SpMMNaive(m, n, rowPtr, colIdx, values, xt, n, yt, n, false);
            for (int r = 0; r < m; r++)
            {
                BiasRelu(yt.Slice(r * n, n), bias.IsEmpty ? null : bias[r], relu);
            }

            return;
        }

        fixed (int* pr = rowPtr, pc = colIdx)
        fixed (float* pw = w, pv = values, pxt = xt, pyt = yt, pbias = bias)
        {
            var job = new SpMMFeatureMajorJob(pr, pc, w.IsEmpty ? null : pw, k, pv, pxt, n, pyt, bias.IsEmpty ? null : pbias, relu, m);
            Parallelism.For((m + RowBlock - 1) / RowBlock, job, parallel: (long)rowPtr[m] * n >= SerialWork);
        }
    }

    /// <summary>
    /// row = max(row + b, 0), each part optional: the same operations as the transposed path's bias add and
    /// the ReLU op, so the bits match.
    /// </summary>
    private static void BiasRelu(Span<float> row, float? bias, bool relu)
    {
        if (bias is float b)
        {
            TensorPrimitives.Add(row, b, row);
        }

        if (relu)
        {
            ElementwiseKernels.ReluForward(row, row);
        }
    }

    /// <summary>One item = <see cref="RowBlock"/> rows of the feature-major sparse Linear forward: gather (unless <c>w</c> is null), SpMM row, bias, ReLU.</summary>
    private readonly struct SpMMFeatureMajorJob(int* rowPtr, int* colIdx, float* w, int k, float* values, float* xt, int n,
        float* yt, float* bias, bool relu, int m)
        : IParallelJob
    {
        public void Item(int block)
        {
            int r0 = block * RowBlock, r1 = Math.Min(m, r0 + RowBlock);
            for (int r = r0; r < r1; r++)
            {
                int p0 = rowPtr[r], p1 = rowPtr[r + 1];
                if (w is not null)
                {
                    GatherRow(p0, p1, colIdx, w + (long)r * k, values);
                }

                float* yrow = yt + (long)r * n;
                SpMMRow(p0, p1, colIdx, values, xt, n, yrow, 0, n, false);
                BiasRelu(new Span<float>(yrow, n), bias is null ? null : bias[r], relu);
            }
        }
    }
}
