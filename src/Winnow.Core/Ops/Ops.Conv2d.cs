using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow;

public static partial class Ops
{
    /// <summary>
    /// 2-D convolution (cross-correlation, zero padding), PyTorch layout:
    /// x (N,C,H,W), weight (O,C,KH,KW), bias (O) or null → (N,O,OH,OW),
    /// OH = ⌊(H + 2·padH − KH)/strideH⌋ + 1.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes or geometry do not fit; the message gives the values.</exception>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0)
        => Conv2d(x, weight, bias, stride, stride, padding, padding);

    /// <summary>
    /// <see cref="Conv2d(Tensor, Tensor, Tensor?, int, int)"/> with separate strides and paddings; run by
    /// the sparse kernels when <paramref name="sparse"/> is given and enabled (see <see cref="SparseWeight"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes or geometry do not fit; the message gives the values.</exception>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int strideH, int strideW, int padH, int padW, SparseWeight? sparse = null)
    {
        RequireRank("Ops.Conv2d", "input", x, 4);
        RequireRank("Ops.Conv2d", "weight", weight, 4);
        if (weight.Dim(1) != x.Dim(1))
        {
            throw new ArgumentException($"Ops.Conv2d: input has shape {Tensor.ShapeString(x.Shape)} ({x.Dim(1)} channels) but weight{(weight.Name is null ? "" : " " + weight.Name)} has shape {Tensor.ShapeString(weight.Shape)} (expects {weight.Dim(1)} input channels).");
        }

        int o = weight.Dim(0);
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != o))
        {
            throw new ArgumentException($"Ops.Conv2d: bias has shape {Tensor.ShapeString(bias.Shape)}; expected [{o}].");
        }

        var geo = new Conv2dGeometry(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), o, weight.Dim(2), weight.Dim(3), strideH, strideW, padH, padW);
        geo.Validate();
        // Geometries where the sparse kernel loses (strided, maps narrower than 8) stay dense: exact either way.
        if (sparse is { Enabled: true } && Conv2dKernels.SparseIsFast(geo))
        {
            return SparseConv2d(x, weight, bias, geo, sparse);
        }

        var y = Tensor.Empty(geo.N, o, geo.OH, geo.OW);
        OpCounter.Add("Conv2d", weight, (long)geo.N * o * geo.OH * geo.OW * geo.C * geo.KH * geo.KW);
        Conv2dKernels.Forward(geo, x.Data, weight.Data, bias is null ? default : bias.Data, y.Data);
        if (Graph.ShouldRecord([x, weight, bias]))
        {
            Graph.Record(y, "Conv2d", bias is null ? [x, weight] : [x, weight, bias], g =>
            {
                if (x.RequiresGrad)
                {
                    Conv2dKernels.BackwardInput(geo, g.Data, weight.Data, x.GradTarget(out bool acc), acc);
                }

                bool wantBias = bias is not null && bias.RequiresGrad;
                if (weight.RequiresGrad)
                {
                    var dw = weight.GradTarget(out bool acc);
                    bool biasAcc = false;
                    var db = wantBias ? bias!.GradTarget(out biasAcc) : default;
                    if (wantBias && biasAcc != acc)
                    {
                        // The kernel takes one accumulate flag; fold the odd one out separately.
                        Conv2dKernels.BackwardWeight(geo, g.Data, x.Data, dw, default, acc);
                        ElementwiseKernels.SumChannels(geo.N, o, geo.OH * geo.OW, g.Data, db, biasAcc);
                    }
                    else
                    {
                        Conv2dKernels.BackwardWeight(geo, g.Data, x.Data, dw, db, acc);
                    }
                }
                else if (wantBias)
                {
                    ElementwiseKernels.SumChannels(geo.N, o, geo.OH * geo.OW, g.Data, bias!.GradTarget(out bool acc), acc);
                }
            });
        }

        return y;
    }
}
