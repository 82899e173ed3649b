using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow;

public static partial class Ops
{
    /// <summary>
    /// The sparse path of <see cref="Linear(Tensor, Tensor, Tensor?, SparseWeight?)"/>:
    /// yᵀ (out,N) = W_csr · xᵀ (in,N). Backward: dxᵀ = W_cscᵀ-as-CSR · dyᵀ, and dW = dyᵀ·x sampled at the
    /// kept positions (or dense when <see cref="SparseWeight.DenseWeightGradient"/>).
    /// </summary>
    private static Tensor SparseLinear(Tensor x, Tensor w, Tensor? bias, SparseWeight sparse)
    {
        int n = x.Dim(0), inF = x.Dim(1), outF = w.Dim(0);
        var pattern = sparse.Pattern;
        if (pattern.Rows != outF || pattern.Cols != inF)
        {
            throw new ArgumentException($"Ops.Linear: the sparse pattern of weight{(w.Name is null ? "" : " " + w.Name)} is ({pattern.Rows}, {pattern.Cols}); expected the weight's shape ({outF}, {inF}). Rebuild the sparse weight after changing the layer.");
        }

        // Xᵀ (in,N); then per block of output rows: gather the kept values, Yᵀ = W_csr·Xᵀ, Y = (Yᵀ)ᵀ + b.
        // Frozen values (inference, SparseWeight.FreezeValues) skip the gather; a recorded forward always gathers.
        bool record = Graph.ShouldRecord([x, w, bias]);
        var xt = Tensor.Empty(inF, n);
        SparseKernels.Transpose(n, inF, x.Data, xt.Data, false);
        var yt = Tensor.Empty(outF, n);
        var y = Tensor.Empty(n, outF);
        SparseKernels.LinearForward(outF, n, inF, pattern.RowPtr, pattern.ColIdx, !record && sparse.ValuesFrozen ? default : w.Data,
            pattern.CsrValuesBuffer, xt.Data, yt.Data, bias is null ? default : bias.Data, y.Data);
        OpCounter.Add("Linear", w, (long)n * outF * inF); // dense MACs, as the reports expect (they apply densities themselves)

        if (record)
        {
            Graph.Record(y, "Linear", bias is null ? [x, w] : [x, w, bias], g =>
            {
                var gt = Tensor.Empty(outF, n);
                SparseKernels.Transpose(n, outF, g.Data, gt.Data, false);
                if (x.RequiresGrad)
                {
                    // dX = (Wᵀ · dYᵀ)ᵀ through the CSC index (its values copied here: inference and a first
                    // layer, whose input needs no gradient, never pay for them).
                    var dxt = Tensor.Empty(inF, n);
                    var dx = x.GradTarget(out bool acc);
                    SparseKernels.LinearInputGradient(outF, n, inF, pattern.ColPtr, pattern.RowIdx, pattern.CscToCsr, pattern.CsrValues,
                        pattern.CscValuesBuffer, gt.Data, dxt.Data, dx, acc);
                }

                if (w.RequiresGrad)
                {
                    var dw = w.GradTarget(out bool acc);
                    if (sparse.DenseWeightGradient)
                    {
                        Sgemm.Gemm(true, false, outF, inF, n, 1f, g.Data, outF, x.Data, inF, acc ? 1f : 0f, dw, inF);
                        sparse.NoteGradientWrite(w, null);
                    }
                    else
                    {
                        // dW[o,i] = Σ_n dYᵀ[o,n]·Xᵀ[i,n] at kept (o,i) only; the other entries are zero-filled unless
                        // this buffer still holds the zeros the previous step's kept-only gradient left there.
                        var gradTensor = w.Grad!;
                        bool zeroed = !acc && sparse.UnkeptGradientIsZero(w, gradTensor);
                        SparseKernels.Sddmm(outF, n, inF, pattern.RowPtr, pattern.ColIdx, gt.Data, n, xt.Data, n, dw, acc, zeroOthers: !zeroed);
                        sparse.NoteGradientWrite(w, acc ? null : gradTensor);
                    }
                }

                if (bias is not null && bias.RequiresGrad)
                {
                    var db = bias.GradTarget(out bool acc);
                    ElementwiseKernels.SumRows(n, outF, g.Data, db, acc);
                }
            });
        }

        return y;
    }
}
