using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Growth by the largest |score| among inactive positions. With the Sparse Momentum quirk
/// (<see cref="DynamicSparseOptions.GrowthScoresAllPositions"/>, issue #22) active positions score 0
/// and take part in the sort, so when fewer inactive positions have a non-zero score than requested the
/// pick can land on active positions and grows fewer weights; without it only inactive positions
/// compete. Ties are broken by index (the higher index wins, ALGORITHMS.md §0.4).
/// </summary>
public static class ScoreGrowth
{
    /// <summary>Activates the <paramref name="count"/> best positions by |<paramref name="source"/>|; returns the number grown.</summary>
    /// <exception cref="ArgumentException">The score length differs from the mask's.</exception>
    public static int Grow(float[] mask, ReadOnlySpan<float> source, int count, bool scoreAllPositions)
    {
        if (source.Length != mask.Length)
        {
            throw new ArgumentException($"Growth scores have {source.Length} entries but the mask has {mask.Length}.", nameof(source));
        }

        if (count <= 0)
        {
            return 0;
        }

        var scores = new float[mask.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = mask[i] == 0f ? Math.Abs(source[i]) : scoreAllPositions ? 0f : float.NaN;
        }

        var order = TopK.AscendingOrder(scores);
        int grown = 0;
        for (int j = order.Length - 1; j >= Math.Max(0, order.Length - count); j--)
        {
            int i = order[j];
            if (mask[i] == 0f)
            {
                mask[i] = 1f;
                grown++;
            }
        }

        return grown;
    }
}
