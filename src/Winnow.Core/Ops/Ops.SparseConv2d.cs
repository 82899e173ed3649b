using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow;

public static partial class Ops
{
    /// <summary>
    /// The sparse path of <see cref="Conv2d(Tensor, Tensor, Tensor?, int, int, int, int, SparseWeight?)"/>:
    /// <see cref="Conv2dKernels.SparseForward"/>, then in backward <see cref="Conv2dKernels.SparseBackward"/>
    /// for the input gradient and the weight gradient at kept positions (or the dense weight gradient
    /// when <see cref="SparseWeight.DenseWeightGradient"/>).
    /// </summary>
    private static Tensor SparseConv2d(Tensor x, Tensor weight, Tensor? bias, Conv2dGeometry geo, SparseWeight sparse)
    {
        var pattern = sparse.Pattern;
        if (pattern.Rows != geo.O || pattern.Cols != geo.PatchLength)
        {
            throw new ArgumentException($"Ops.Conv2d: the sparse pattern of weight{(weight.Name is null ? "" : " " + weight.Name)} is ({pattern.Rows}, {pattern.Cols}); expected (O, C·KH·KW) = ({geo.O}, {geo.PatchLength}). Rebuild the sparse weight after changing the layer.");
        }

        // Training gathers both orders (the input gradient reads the CSC values); inference only the CSR
        // values the forward reads, and nothing when they are frozen (SparseWeight.FreezeValues).
        bool record = Graph.ShouldRecord([x, weight, bias]);
        if (record)
        {
            pattern.Gather(weight.Data);
        }
        else if (!sparse.ValuesFrozen)
        {
            pattern.GatherCsr(weight.Data);
        }

        var y = Tensor.Empty(geo.N, geo.O, geo.OH, geo.OW);
        OpCounter.Add("Conv2d", weight, (long)geo.N * geo.O * geo.OH * geo.OW * geo.PatchLength); // dense MACs, as the reports expect
        Conv2dKernels.SparseForward(geo, x.Data, pattern, bias is null ? default : bias.Data, y.Data);
        if (record)
        {
            Graph.Record(y, "Conv2d", bias is null ? [x, weight] : [x, weight, bias], g =>
            {
                bool denseDw = weight.RequiresGrad && sparse.DenseWeightGradient;
                bool accDx = false, accDw = false;
                var dx = x.RequiresGrad ? x.GradTarget(out accDx) : default;
                var dw = weight.RequiresGrad && !denseDw ? weight.GradTarget(out accDw) : default;
                if (!dx.IsEmpty || !dw.IsEmpty)
                {
                    Conv2dKernels.SparseBackward(geo, g.Data, x.Data, pattern, dx, accDx, dw, accDw);
                }

                if (denseDw)
                {
                    Conv2dKernels.BackwardWeight(geo, g.Data, x.Data, weight.GradTarget(out bool acc), default, acc);
                }

                if (bias is not null && bias.RequiresGrad)
                {
                    ElementwiseKernels.SumChannels(geo.N, geo.O, geo.OH * geo.OW, g.Data, bias.GradTarget(out bool acc), acc);
                }
            });
        }

        return y;
    }
}
