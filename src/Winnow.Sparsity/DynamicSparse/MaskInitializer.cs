using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Initial random masks (ALGORITHMS.md §2.3, §4.4, §4.5): per-layer kept counts k_l from the named
/// distribution (uniform, er, erk: <see cref="SparsityMethods.Distribution"/>), then either a Bernoulli
/// draw keeping each entry with probability k_l/n_l (Sparse Momentum's "constant" mode; exact counts
/// fluctuate) or exactly k_l random entries (RigL). Sparse Momentum's own ER ("linear" mode) solves ε
/// by a multiplicative search without dense-capping; here ER is the dense-capped exact solve, which
/// agrees whenever no layer would exceed density 1.
/// </summary>
public static class MaskInitializer
{
    /// <summary>Writes the initial masks into <paramref name="masks"/> and zeroes the pruned weights.</summary>
    /// <exception cref="ArgumentException">Unknown distribution name.</exception>
    public static void Initialize(MaskSet masks, string distribution, double density, bool bernoulli, Rng rng)
    {
        var counts = SparsityMethods.Distribution(distribution).KeptCounts(masks.Targets, density, []);
        foreach (var t in masks.Targets)
        {
            int n = t.Count, keep = counts[t.Name];
            var mask = new float[n];
            if (bernoulli)
            {
                double p = (double)keep / n;
                for (int i = 0; i < n; i++)
                {
                    mask[i] = rng.NextDouble() < p ? 1f : 0f;
                }
            }
            else
            {
                var idx = Enumerable.Range(0, n).ToArray();
                for (int j = 0; j < keep; j++)
                {
                    int k = j + rng.NextInt(n - j);
                    (idx[j], idx[k]) = (idx[k], idx[j]);
                    mask[idx[j]] = 1f;
                }
            }

            masks.Set(t.Name, mask);
        }

        masks.Apply();
    }
}
