using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// "magnitude" drop (Sparse Momentum, SET, RigL): deactivate the <c>count</c> active weights with the
/// smallest |w| — for SET "the weights closest to zero", the smallest positive and the largest negative
/// ones. Ties by index (the lower index is dropped first). Deliberate difference from sparse_learning
/// (ALGORITHMS.md §2.5 c): only ACTIVE entries compete, so an active weight that is exactly 0.0 cannot
/// take a masked entry's place and exactly <c>count</c> weights go.
/// </summary>
public sealed class MagnitudeDrop : IDropCriterion
{
    /// <inheritdoc/>
    public string Name => "magnitude";

    /// <summary>Zeroes the mask at the <paramref name="count"/> smallest-|w| active positions; returns how many were removed.</summary>
    public int Drop(LayerView layer, int count)
    {
        if (count <= 0)
        {
            return 0;
        }

        var w = layer.Target.Weight.Data;
        var scores = new float[layer.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = layer.Mask[i] != 0f ? Math.Abs(w[i]) : float.PositiveInfinity;
        }

        var order = TopK.AscendingOrder(scores);
        int removed = 0;
        for (int j = 0; j < order.Length && removed < count; j++)
        {
            int i = order[j];
            if (layer.Mask[i] == 0f)
            {
                break;
            }

            layer.Mask[i] = 0f;
            removed++;
        }

        return removed;
    }
}
