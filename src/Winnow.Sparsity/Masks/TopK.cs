namespace Winnow.Sparsity.Masks;

/// <summary>
/// Deterministic top-k selection: scores ordered by (value, flat index), so exact ties are broken
/// by index (ALGORITHMS.md §0.4; a superset of the references' arbitrary GPU order).
/// </summary>
public static class TopK
{
    /// <summary>
    /// Writes 1 into <paramref name="mask"/> for the <paramref name="keep"/> largest scores and 0
    /// elsewhere. Among equal scores the higher index is kept (ascending sort, cut at n − keep).
    /// </summary>
    public static void KeepLargest(ReadOnlySpan<float> scores, int keep, Span<float> mask)
    {
        int n = scores.Length;
        if (keep < 0 || keep > n)
        {
            throw new ArgumentOutOfRangeException(nameof(keep), keep, $"Cannot keep {keep} of {n} entries.");
        }

        mask.Clear();
        if (keep == 0)
        {
            return;
        }

        var order = AscendingOrder(scores);
        for (int i = n - keep; i < n; i++)
        {
            mask[order[i]] = 1f;
        }
    }

    /// <summary>
    /// Indices of <paramref name="scores"/> sorted ascending by (value, index), in float.CompareTo's
    /// order (NaN first, −0 equal to +0).
    /// </summary>
    public static int[] AscendingOrder(ReadOnlySpan<float> scores)
    {
        // One 64-bit key per entry, order-preserving value bits above the index: a primitive sort of
        // the keys orders by (value, index) with no comparer delegate and no tie pass (5–10× faster).
        var keys = new ulong[scores.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = ((ulong)OrderedBits(scores[i]) << 32) | (uint)i;
        }

        Array.Sort(keys);
        var idx = new int[keys.Length];
        for (int i = 0; i < idx.Length; i++)
        {
            idx[i] = (int)(uint)keys[i];
        }

        return idx;
    }

    // Monotone map float → uint: NaN → 0 (smallest), −0 → +0, negatives bit-flipped below positives.
    private static uint OrderedBits(float v)
    {
        if (float.IsNaN(v))
        {
            return 0;
        }

        uint b = BitConverter.SingleToUInt32Bits(v == 0f ? 0f : v);
        return (b & 0x8000_0000u) != 0 ? ~b : b | 0x8000_0000u;
    }
}
