namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// "global_magnitude" drop (sparse_learning's <c>global_magnitude_prune</c>, ALGORITHMS.md §2.5): one
/// threshold t over all layers; every active weight with |w| ≤ t is dropped, so layers lose different
/// fractions. The search aims at ⌈p·B⌉ removals (p = the prune rate handed in, B = baseline_nonzero) within
/// ±2%: too many ⇒ t ← t·(1 − δ), too few ⇒ t ← t·(1 + δ), and δ ← 0.99·δ after each move; it stops when a
/// pass removes the same count as the pass before (a stall; the first pass compares against 0).
/// t (initially 0.001) and δ (initially 0.2) carry over from one update to the next, as in the reference,
/// and comparisons are made in float32 like PyTorch's <c>|w| &gt; t</c>. The counts use one sorted copy of the
/// active magnitudes and a binary search per pass, so a pass costs O(log n) instead of a sweep.
/// Winnow stops after <see cref="MaxIterations"/> passes and reports it. Deliberate difference: when the
/// target is 0 (the reference takes p from the LAST layer, whose protected rate is 0 when it is fully dense)
/// the reference skips the search, still applies the carried threshold, and reports 0 removed so nothing
/// regrows; Winnow reports and regrows what the threshold actually removed.
/// </summary>
public sealed class GlobalMagnitudeDrop : IDropCriterion
{
    /// <summary>Relative tolerance on the removal count (reference 0.02).</summary>
    public const double Tolerance = 0.02;

    /// <inheritdoc/>
    public string Name => "global_magnitude";

    /// <inheritdoc/>
    public bool Global => true;

    /// <summary>Current threshold t (reference start 0.001).</summary>
    public double Threshold { get; set; } = 0.001;

    /// <summary>Current multiplicative step δ (reference start 0.2, shrinking ×0.99 per move).</summary>
    public double Increment { get; set; } = 0.2;

    /// <summary>Cap on search passes (default <see cref="ThresholdSearch.MaxIterations"/>).</summary>
    public int MaxIterations { get; init; } = ThresholdSearch.MaxIterations;

    /// <inheritdoc/>
    public ThresholdSearch? Prepare(IReadOnlyList<LayerView> layers, double pruneRate, double baselineNonzero)
    {
        var magnitudes = new List<float>();
        foreach (var layer in layers)
        {
            var w = layer.Target.Weight.Data;
            for (int i = 0; i < layer.Count; i++)
            {
                if (layer.Mask[i] != 0f)
                {
                    magnitudes.Add(Math.Abs(w[i]));
                }
            }
        }

        var sorted = magnitudes.ToArray();
        Array.Sort(sorted);
        double target = Math.Ceiling(pruneRate * baselineNonzero);
        long removed = 0, previous = 0;
        int iterations = 0;
        bool capped = false;
        while (!ThresholdSearch.Inside(removed, target, Tolerance))
        {
            if (iterations == MaxIterations)
            {
                capped = true;
                break;
            }

            removed = sorted.Length - ThresholdSearch.CountAbove(sorted, (float)Threshold);
            iterations++;
            if (removed == previous)
            {
                break;
            }

            previous = removed;
            if (removed > target * (1.0 + Tolerance))
            {
                Threshold *= 1.0 - Increment;
                Increment *= 0.99;
            }
            else if (removed < target * (1.0 - Tolerance))
            {
                Threshold *= 1.0 + Increment;
                Increment *= 0.99;
            }
        }

        // What the final threshold removes (differs from the last pass after a cap, or when the loop never ran
        // because the target is 0: the reference then still applies the carried threshold but reports 0).
        removed = sorted.Length - ThresholdSearch.CountAbove(sorted, (float)Threshold);

        return new ThresholdSearch(Threshold, target, removed, iterations, ThresholdSearch.Inside(removed, target, Tolerance), capped);
    }

    /// <inheritdoc/>
    public int Drop(LayerView layer, int count)
    {
        var w = layer.Target.Weight.Data;
        float t = (float)Threshold;
        int removed = 0;
        for (int i = 0; i < layer.Count; i++)
        {
            if (layer.Mask[i] != 0f && !(Math.Abs(w[i]) > t))
            {
                layer.Mask[i] = 0f;
                removed++;
            }
        }

        return removed;
    }
}
