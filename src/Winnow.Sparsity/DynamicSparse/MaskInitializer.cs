using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Initial random masks (ALGORITHMS.md §2.3, §4.4, §4.5). For uniform, er and erk: per-layer kept counts k_l
/// from the named distribution (<see cref="SparsityMethods.Distribution"/>; er is the exact, dense-capped
/// Erdős–Rényi solve), keep-probability p_l = k_l/n_l. For er-search (sparse_learning's "linear" mode, also
/// accepted under that name): p_l = ε·Σdims_l/n_l with ε from <see cref="ErEpsilonSearch"/>. Then either a
/// Bernoulli draw keeping each entry with probability p_l (Sparse Momentum; exact counts fluctuate) or
/// exactly min(n_l, round(p_l·n_l)) random entries (RigL).
/// </summary>
public static class MaskInitializer
{
    /// <summary>Writes the initial masks into <paramref name="masks"/> and zeroes the pruned weights.</summary>
    /// <returns>The ε of an er-search init and the search's passes; null for the other inits.</returns>
    /// <exception cref="ArgumentException">Unknown init name, or an ε search out of reach.</exception>
    public static (double Epsilon, int Iterations)? Initialize(MaskSet masks, string init, double density, bool bernoulli, Rng rng)
    {
        string name = DynamicSparseMethods.Init(init);
        (double Epsilon, int Iterations)? search = null;
        Func<MaskTarget, double> probability;
        if (name == "er-search")
        {
            var solved = ErEpsilonSearch.Solve(masks.Targets, density);
            search = solved;
            probability = t => ErEpsilonSearch.KeepProbability(t, solved.Epsilon);
        }
        else
        {
            var counts = SparsityMethods.Distribution(name).KeptCounts(masks.Targets, density, []);
            probability = t => (double)counts[t.Name] / t.Count;
        }

        foreach (var t in masks.Targets)
        {
            int n = t.Count;
            double p = probability(t);
            var mask = new float[n];
            if (bernoulli)
            {
                for (int i = 0; i < n; i++)
                {
                    mask[i] = rng.NextDouble() < p ? 1f : 0f;
                }
            }
            else
            {
                int keep = (int)Math.Min(n, Math.Round(p * n));
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
        return search;
    }
}
