using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow;

public static partial class Ops
{
    /// <summary>
    /// Max pooling over (N,C,H,W) with a k×k window (PyTorch MaxPool2d: stride defaults to the
    /// kernel, padding with −∞, ceil_mode false). The gradient goes to the arg-max of each window.
    /// </summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int? stride = null, int padding = 0)
    {
        var geo = PoolGeometry("Ops.MaxPool2d", x, kernel, stride ?? kernel, padding);
        var y = Tensor.Empty(geo.N, geo.C, geo.OH, geo.OW);
        int[] argmax = TensorScope.RentInts(geo.OutputLength);
        PoolKernels.MaxPool2dForward(geo, x.Data, y.Data, argmax.AsSpan(0, geo.OutputLength));
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "MaxPool2d", [x], g =>
                PoolKernels.MaxPool2dBackward(geo, g.Data, argmax.AsSpan(0, geo.OutputLength), x.GradTarget(out bool acc), acc));
        }

        return y;
    }

    /// <summary>Average pooling (PyTorch AvgPool2d defaults: count_include_pad true, ceil_mode false).</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int? stride = null, int padding = 0)
    {
        var geo = PoolGeometry("Ops.AvgPool2d", x, kernel, stride ?? kernel, padding);
        var y = Tensor.Empty(geo.N, geo.C, geo.OH, geo.OW);
        PoolKernels.AvgPool2dForward(geo, x.Data, y.Data);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "AvgPool2d", [x], g => PoolKernels.AvgPool2dBackward(geo, g.Data, x.GradTarget(out bool acc), acc));
        }

        return y;
    }

    /// <summary>Mean over H×W: (N,C,H,W) → (N,C).</summary>
    public static Tensor GlobalAvgPool2d(Tensor x)
    {
        RequireRank("Ops.GlobalAvgPool2d", "input", x, 4);
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        var y = Tensor.Empty(n, c);
        PoolKernels.GlobalAvgPool2dForward(n, c, h, w, x.Data, y.Data);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "GlobalAvgPool2d", [x], g => PoolKernels.GlobalAvgPool2dBackward(n, c, h, w, g.Data, x.GradTarget(out bool acc), acc));
        }

        return y;
    }

    private static Pool2dGeometry PoolGeometry(string op, Tensor x, int kernel, int stride, int padding)
    {
        RequireRank(op, "input", x, 4);
        var geo = Pool2dGeometry.Square(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), kernel, stride, padding);
        geo.Validate();
        return geo;
    }
}
