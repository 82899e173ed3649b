namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// "global_momentum_growth" (sparse_learning's <c>global_momentum_growth</c>, ALGORITHMS.md §2.5): one
/// threshold t over the |momentum| of the inactive positions of all layers (after pruning); every inactive
/// position with |v| &gt; t is grown. The search aims at G = removed + adjusted_growth within ±2%: too many ⇒
/// t ← 1.02·t, too few ⇒ t ← 0.98·t; it stops when a pass selects the same count as the pass before (the
/// first pass compares against 0). t starts at 0.001 and carries over between updates; comparisons are in
/// float32. The per-layer budgets of the redistribution are computed but not used, as in the reference.
/// With fixed ±2% steps the reference can oscillate for ever when no threshold lands in the band; Winnow
/// stops after <see cref="MaxIterations"/> passes and reports it.
/// </summary>
public sealed class GlobalMomentumGrowth : IGrowthCriterion
{
    /// <summary>Relative tolerance on the growth count (reference 0.02).</summary>
    public const double Tolerance = 0.02;

    /// <inheritdoc/>
    public string Name => "global_momentum_growth";

    /// <inheritdoc/>
    public bool Global => true;

    /// <summary>Current threshold t (reference start 0.001).</summary>
    public double Threshold { get; set; } = 0.001;

    /// <summary>Cap on search passes (default <see cref="ThresholdSearch.MaxIterations"/>).</summary>
    public int MaxIterations { get; init; } = ThresholdSearch.MaxIterations;

    /// <inheritdoc/>
    public ThresholdSearch? Prepare(IReadOnlyList<LayerView> layers, double total)
    {
        var scores = new List<float>();
        foreach (var layer in layers)
        {
            if (layer.Momentum is not { } m)
            {
                continue;
            }

            for (int i = 0; i < layer.Count; i++)
            {
                if (layer.Mask[i] == 0f)
                {
                    scores.Add(Math.Abs(m[i]));
                }
            }
        }

        var sorted = scores.ToArray();
        Array.Sort(sorted);
        long grown = 0, last = 0;
        int iterations = 0;
        bool capped = false;
        while (!ThresholdSearch.Inside(grown, total, Tolerance))
        {
            if (iterations == MaxIterations)
            {
                capped = true;
                break;
            }

            grown = ThresholdSearch.CountAbove(sorted, (float)Threshold);
            iterations++;
            if (grown == last)
            {
                break;
            }

            last = grown;
            if (grown > total * (1.0 + Tolerance))
            {
                Threshold *= 1.02;
            }
            else if (grown < total * (1.0 - Tolerance))
            {
                Threshold *= 0.98;
            }
        }

        grown = ThresholdSearch.CountAbove(sorted, (float)Threshold);
        return new ThresholdSearch(Threshold, total, grown, iterations, ThresholdSearch.Inside(grown, total, Tolerance), capped);
    }

    /// <inheritdoc/>
    public int Grow(LayerView layer, int count, Rng rng, DynamicSparseOptions options)
    {
        if (layer.Momentum is not { } m)
        {
            return 0;
        }

        float t = (float)Threshold;
        int grown = 0;
        for (int i = 0; i < layer.Count; i++)
        {
            if (layer.Mask[i] == 0f && Math.Abs(m[i]) > t)
            {
                layer.Mask[i] = 1f;
                grown++;
            }
        }

        return grown;
    }
}
