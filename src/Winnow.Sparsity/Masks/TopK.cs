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

    /// <summary>Indices of <paramref name="scores"/> sorted ascending by (value, index).</summary>
    public static int[] AscendingOrder(ReadOnlySpan<float> scores)
    {
        var keys = scores.ToArray();
        var idx = new int[keys.Length];
        for (int i = 0; i < idx.Length; i++)
        {
            idx[i] = i;
        }

        // Stable sort by value keeps equal values in index order.
        Array.Sort(keys, idx, Comparer<float>.Create(static (a, b) => a.CompareTo(b)));
        FixTies(keys, idx);
        return idx;
    }

    // Array.Sort is introsort (unstable): restore index order inside runs of equal keys.
    private static void FixTies(float[] keys, int[] idx)
    {
        int start = 0;
        for (int i = 1; i <= keys.Length; i++)
        {
            if (i == keys.Length || keys[i] != keys[start])
            {
                if (i - start > 1)
                {
                    Array.Sort(idx, start, i - start);
                }

                start = i;
            }
        }
    }
}
