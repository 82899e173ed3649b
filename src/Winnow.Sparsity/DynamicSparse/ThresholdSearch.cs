namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Outcome of a global threshold search (sparse_learning's <c>global_magnitude_prune</c> and
/// <c>global_momentum_growth</c>, ALGORITHMS.md §2.5): the reference loops until the count selected by the
/// threshold is within ±<see cref="GlobalMagnitudeDrop.Tolerance"/> of the target, stopping early when an
/// iteration selects the same count as the one before (a stall). Winnow also stops after
/// a cap of passes (<see cref="MaxIterations"/> by default), where the reference could loop for ever, and says so here.
/// </summary>
/// <param name="Threshold">The threshold applied (it carries over to the next update, as in the reference).</param>
/// <param name="Target">Count sought (removals ⌈p·B⌉, or growth G = removed + adjusted_growth).</param>
/// <param name="Reached">Count the threshold selects.</param>
/// <param name="Iterations">Passes made.</param>
/// <param name="WithinTolerance">The count is within ±2% of the target.</param>
/// <param name="HitIterationCap">The search stopped at its pass cap without converging.</param>
public sealed record ThresholdSearch(double Threshold, double Target, long Reached, int Iterations, bool WithinTolerance, bool HitIterationCap)
{
    /// <summary>Winnow's default cap on the search passes (the reference has none).</summary>
    public const int MaxIterations = 1000;

    internal static bool Inside(long count, double target, double tolerance)
        => !(count < target * (1.0 - tolerance) || count > target * (1.0 + tolerance));

    /// <summary>Entries of the ascending <paramref name="sorted"/> strictly greater than <paramref name="threshold"/> (binary search).</summary>
    internal static long CountAbove(float[] sorted, float threshold)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] > threshold)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return sorted.Length - lo;
    }
}
