using Winnow.Autograd;

namespace Winnow.Sparsity.Masks;

/// <summary>
/// Score → binary mask op of edge-popup and biprop (ALGORITHMS.md §3.3–3.4, §4.6). Forward:
/// a = |S|; the j = ⌊(1 − k)·n⌋ smallest entries of a get 0, the rest 1 (ties by index).
/// Backward: straight-through, ∂L/∂S = ∂L/∂M ⊙ sign(S) (identity through the top-k, derivative of |·|).
/// With W_eff = W ⊙ M this gives ∂L/∂S = ∂L/∂W_eff ⊙ W ⊙ sign(S).
/// </summary>
public sealed class TopKStraightThrough : CustomOp
{
    /// <summary>Creates the op for keep fraction <paramref name="keepFraction"/> in (0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The keep fraction is outside (0, 1].</exception>
    public TopKStraightThrough(double keepFraction)
    {
        if (!(keepFraction > 0 && keepFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(keepFraction), keepFraction, "The keep fraction must be in (0, 1] (e.g. 0.5 keeps half the weights).");
        }

        KeepFraction = keepFraction;
    }

    public double KeepFraction { get; }

    /// <summary>Number of entries zeroed out of <paramref name="n"/>: the reference index ⌊(1 − k)·n⌋.</summary>
    public int PrunedCount(int n) => (int)Math.Floor((1 - KeepFraction) * n);

    protected override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        var scores = inputs[0];
        var mask = scores.EmptyLike();
        var abs = new float[scores.Length];
        System.Numerics.Tensors.TensorPrimitives.Abs(scores.Data, abs);
        TopK.KeepLargest(abs, scores.Length - PrunedCount(scores.Length), mask.Data);
        return mask;
    }

    protected override Tensor?[] Backward(IReadOnlyList<Tensor> inputs, Tensor output, Tensor gradOutput)
    {
        var s = inputs[0].Data;
        var g = gradOutput.Data;
        var ds = inputs[0].EmptyLike();
        var d = ds.Data;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = s[i] > 0 ? g[i] : s[i] < 0 ? -g[i] : 0f;
        }

        return [ds];
    }
}
