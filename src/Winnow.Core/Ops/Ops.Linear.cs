using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow;

public static partial class Ops
{
    /// <summary>Matrix product: a (M,K) · b (K,N) → (M,N).</summary>
    /// <exception cref="ArgumentException">The operands are not matrices or the inner sizes differ.</exception>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        RequireRank("Ops.MatMul", "a", a, 2);
        RequireRank("Ops.MatMul", "b", b, 2);
        int m = a.Dim(0), k = a.Dim(1), n = b.Dim(1);
        if (b.Dim(0) != k)
        {
            throw new ArgumentException($"Ops.MatMul: a has shape {Tensor.ShapeString(a.Shape)} and b has shape {Tensor.ShapeString(b.Shape)}; a's columns ({k}) must equal b's rows ({b.Dim(0)}).");
        }

        var y = Tensor.Empty(m, n);
        OpCounter.Add("MatMul", b, (long)m * n * k);
        Sgemm.Gemm(false, false, m, n, k, 1f, a.Data, k, b.Data, n, 0f, y.Data, n);
        if (Graph.ShouldRecord(a, b))
        {
            Graph.Record(y, "MatMul", [a, b], g =>
            {
                if (a.RequiresGrad)
                {
                    // dA (M,K) = dY (M,N) · Bᵀ
                    var da = a.GradTarget(out bool acc);
                    Sgemm.Gemm(false, true, m, k, n, 1f, g.Data, n, b.Data, n, acc ? 1f : 0f, da, k);
                }

                if (b.RequiresGrad)
                {
                    // dB (K,N) = Aᵀ · dY
                    var db = b.GradTarget(out bool acc);
                    Sgemm.Gemm(true, false, k, n, m, 1f, a.Data, k, g.Data, n, acc ? 1f : 0f, db, n);
                }
            });
        }

        return y;
    }

    /// <summary>
    /// Fully connected layer, PyTorch layout: x (N,in) · wᵀ (in,out) + bias (out) → (N,out),
    /// with w stored (out,in).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not fit.</exception>
    public static Tensor Linear(Tensor x, Tensor w, Tensor? bias) => Linear(x, w, bias, null);

    /// <summary>
    /// <see cref="Linear(Tensor, Tensor, Tensor?)"/>, run by the sparse kernels when
    /// <paramref name="sparse"/> is given and enabled (see <see cref="SparseWeight"/>): activations
    /// are transposed to (in, N) so the kernels vectorise over the batch.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not fit, or the pattern is not (out, in).</exception>
    public static Tensor Linear(Tensor x, Tensor w, Tensor? bias, SparseWeight? sparse)
    {
        RequireRank("Ops.Linear", "input", x, 2);
        RequireRank("Ops.Linear", "weight", w, 2);
        int n = x.Dim(0), inF = x.Dim(1), outF = w.Dim(0);
        if (w.Dim(1) != inF)
        {
            throw new ArgumentException($"Ops.Linear: input has shape {Tensor.ShapeString(x.Shape)} but weight{(w.Name is null ? "" : " " + w.Name)} has shape {Tensor.ShapeString(w.Shape)}; expected the weight's second dimension to equal the input features ({inF}).");
        }

        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != outF))
        {
            throw new ArgumentException($"Ops.Linear: bias has shape {Tensor.ShapeString(bias.Shape)}; expected [{outF}].");
        }

        if (sparse is { Enabled: true })
        {
            return SparseLinear(x, w, bias, sparse);
        }

        var y = Tensor.Empty(n, outF);
        var yd = y.Data;
        OpCounter.Add("Linear", w, (long)n * outF * inF);
        Sgemm.Gemm(false, true, n, outF, inF, 1f, x.Data, inF, w.Data, inF, 0f, yd, outF);
        if (bias is not null)
        {
            ElementwiseKernels.AddBiasRows(n, outF, bias.Data, yd);
        }

        if (Graph.ShouldRecord([x, w, bias]))
        {
            Graph.Record(y, "Linear", bias is null ? [x, w] : [x, w, bias], g =>
            {
                var gd = g.Data;
                if (x.RequiresGrad)
                {
                    // dX (N,in) = dY (N,out) · W (out,in)
                    var dx = x.GradTarget(out bool acc);
                    Sgemm.Gemm(false, false, n, inF, outF, 1f, gd, outF, w.Data, inF, acc ? 1f : 0f, dx, inF);
                }

                if (w.RequiresGrad)
                {
                    // dW (out,in) = dYᵀ · X
                    var dw = w.GradTarget(out bool acc);
                    Sgemm.Gemm(true, false, outF, inF, n, 1f, gd, outF, x.Data, inF, acc ? 1f : 0f, dw, inF);
                }

                if (bias is not null && bias.RequiresGrad)
                {
                    var db = bias.GradTarget(out bool acc);
                    ElementwiseKernels.SumRows(n, outF, gd, db, acc);
                }
            });
        }

        return y;
    }
}
