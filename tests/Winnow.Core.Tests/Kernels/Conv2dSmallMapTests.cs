using Winnow.Testing;

namespace Winnow.Core.Tests.Kernels;

/// <summary>Deep layers on tiny maps (Conv-8 and VGG tails: 3×3, 2×2, 1×1 with padding 1) after a large layer.</summary>
[Collection("Parallelism")]
public sealed class Conv2dSmallMapTests
{
    [Theory]
    [InlineData(2, 256, 3, 512)]
    [InlineData(2, 512, 3, 512)]
    [InlineData(2, 512, 1, 512)]
    [InlineData(2, 512, 2, 512)]
    [InlineData(3, 64, 2, 128)]
    public void BackwardInputOnTinyMapsMatchesNaive(int n, int c, int hw, int o)
    {
        // A large layer first, so per-thread workspaces hold another geometry's state.
        Run(new Conv2dGeometry(2, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1));
        Run(new Conv2dGeometry(n, c, hw, hw, o, 3, 3, 1, 1, 1, 1));
    }

    [Fact]
    public void Conv8LayerSequenceMatchesNaive()
    {
        int[][] layers = [[3, 32, 64], [64, 32, 64], [64, 16, 128], [128, 16, 128], [128, 8, 256], [256, 8, 256], [256, 4, 512], [512, 4, 512]];
        foreach (var l in layers)
        {
            Run(new Conv2dGeometry(2, l[0], l[1], l[1], l[2], 3, 3, 1, 1, 1, 1));
        }

        foreach (var l in layers.Reverse())
        {
            Run(new Conv2dGeometry(2, l[0], l[1], l[1], l[2], 3, 3, 1, 1, 1, 1));
        }
    }

    private static void Run(Conv2dGeometry g)
    {
        var rng = new Rng(3);
        var x = new float[g.N * g.C * g.H * g.W];
        var w = new float[g.O * g.C * g.KH * g.KW];
        var dy = new float[g.N * g.O * g.OH * g.OW];
        rng.FillUniform(x, -1, 1);
        rng.FillUniform(w, -1, 1);
        rng.FillUniform(dy, -1, 1);
        var y = new float[dy.Length];
        var yRef = new float[dy.Length];
        Conv2dKernels.Forward(g, x, w, default, y);
        Conv2dKernels.ForwardNaive(g, x, w, default, yRef);
        TensorAssert.Close(yRef, y, 1e-3f, 1e-3f, "y");
        var dx = new float[x.Length];
        var dxRef = new float[x.Length];
        Conv2dKernels.BackwardInput(g, dy, w, dx, false);
        Conv2dKernels.BackwardInputNaive(g, dy, w, dxRef, false);
        TensorAssert.Close(dxRef, dx, 1e-3f, 1e-3f, "dx");
        var dw = new float[w.Length];
        var dwRef = new float[w.Length];
        Conv2dKernels.BackwardWeight(g, dy, x, dw, default, false);
        Conv2dKernels.BackwardWeightNaive(g, dy, x, dwRef, default, false);
        TensorAssert.Close(dwRef, dw, 1e-3f, 1e-3f, "dw");
    }
}
