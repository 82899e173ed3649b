namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// Linear-time score selection for the masks recomputed in every forward pass. Same result as
/// <see cref="Masks.TopK.KeepLargest"/> on |S| (ties by index, the higher index kept), found by a
/// deterministic quickselect on (value, index) keys instead of a full sort.
/// </summary>
public static class ScoreSelection
{
    /// <summary>
    /// Layer-wise mask: 0 for the <paramref name="pruned"/> smallest |scores| (ties by index), 1 for the
    /// rest. <paramref name="keys"/> is a workspace of at least scores.Length entries.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pruned"/> is outside [0, n].</exception>
    public static void MaskByRank(ReadOnlySpan<float> scores, int pruned, Span<float> mask, ulong[] keys)
    {
        int n = scores.Length;
        if (pruned < 0 || pruned > n)
        {
            throw new ArgumentOutOfRangeException(nameof(pruned), pruned, $"Cannot prune {pruned} of {n} entries.");
        }

        if (pruned == n)
        {
            mask.Clear();
            return;
        }

        var k = keys.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            k[i] = ((ulong)AbsBits(scores[i]) << 32) | (uint)i;
        }

        ulong pivot = pruned == 0 ? 0 : Select(k, pruned);
        for (int i = 0; i < n; i++)
        {
            mask[i] = (((ulong)AbsBits(scores[i]) << 32) | (uint)i) >= pivot ? 1f : 0f;
        }
    }

    /// <summary>The <paramref name="rank"/>-th smallest (0-based) |value|; <paramref name="keys"/> is a workspace of at least values.Length entries.</summary>
    public static float SelectAbs(ReadOnlySpan<float> values, int rank, ulong[] keys)
    {
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = (ulong)AbsBits(values[i]) << 32;
        }

        return BitConverter.UInt32BitsToSingle((uint)(Select(keys.AsSpan(0, values.Length), rank) >> 32));
    }

    /// <summary>Order-preserving bits of |x| for finite x (non-negative floats order like their bit patterns).</summary>
    internal static uint AbsBits(float x) => BitConverter.SingleToUInt32Bits(x) & 0x7FFF_FFFFu;

    // Hoare-partition quickselect with a median-of-three pivot: deterministic, O(n) on average.
    private static ulong Select(Span<ulong> a, int rank)
    {
        int lo = 0, hi = a.Length - 1;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if (a[mid] < a[lo])
            {
                (a[mid], a[lo]) = (a[lo], a[mid]);
            }

            if (a[hi] < a[lo])
            {
                (a[hi], a[lo]) = (a[lo], a[hi]);
            }

            if (a[hi] < a[mid])
            {
                (a[hi], a[mid]) = (a[mid], a[hi]);
            }

            ulong pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (rank <= j)
            {
                hi = j;
            }
            else if (rank >= i)
            {
                lo = i;
            }
            else
            {
                return a[rank];
            }
        }

        return a[rank];
    }
}
