namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Sparse Momentum's regrowth budget with capacity capping (ALGORITHMS.md §2.5 d, sparse_learning's
/// <c>calc_growth_redistribution</c>). With G = total_removed + adjusted_growth and max_l the free slots
/// after pruning, iterate (at most 1000 times) until the residual is 0:
/// g_l ← (first pass ⌈share_l·G⌉, else previous g_l) + r̄; if g_l &gt; 0.99·max_l then the excess
/// g_l − 0.99·max_l is added to the residual and g_l ← 0.99·max_l; r̄ ← residual / L.
/// Capped layers re-cap each pass; the excess spreads equally over all layers.
/// </summary>
public static class GrowthBudget
{
    /// <summary>The reference's iteration limit.</summary>
    public const int MaxIterations = 1000;

    /// <summary>Un-floored budgets g_l and the number of passes made.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length.</exception>
    public static (double[] Growth, int Iterations) Cap(IReadOnlyList<double> shares, IReadOnlyList<double> maxGrowth, double total)
    {
        if (shares.Count != maxGrowth.Count)
        {
            throw new ArgumentException($"{shares.Count} shares but {maxGrowth.Count} capacities.", nameof(maxGrowth));
        }

        int layers = shares.Count;
        var g = new double[layers];
        double residual = double.PositiveInfinity, mean = 0;
        int iterations = 0;
        while (residual > 0 && iterations < MaxIterations)
        {
            residual = 0;
            for (int l = 0; l < layers; l++)
            {
                double share = double.IsNaN(shares[l]) ? 0 : shares[l];
                double value = (iterations == 0 ? Math.Ceiling(share * total) : g[l]) + mean;
                double cap = 0.99 * maxGrowth[l];
                if (value > cap)
                {
                    residual += value - cap;
                    value = cap;
                }

                g[l] = value;
            }

            mean = layers == 0 ? 0 : residual / layers;
            iterations++;
        }

        return (g, iterations);
    }
}
