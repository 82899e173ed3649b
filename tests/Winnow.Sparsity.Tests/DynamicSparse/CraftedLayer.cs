using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.Sparsity.DynamicSparse;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Tests.DynamicSparse;

/// <summary>A hand-written (rows, cols) linear weight with its mask and momentum, as a mask update sees it.</summary>
internal static class CraftedLayer
{
    public static LayerView View(int rows, int cols, float[] weights, float[] mask, float[]? momentum = null, string name = "w")
    {
        var linear = new Linear(cols, rows, new Rng(1), bias: false);
        weights.CopyTo(linear.Weight.Data);
        return new LayerView(new MaskTarget(name, linear.Weight, linear), mask, momentum, null, 0);
    }

    public static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

    public static float[] Fill(params (int Count, float Value)[] runs) => runs.SelectMany(r => Enumerable.Repeat(r.Value, r.Count)).ToArray();
}
