using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Distributions;

/// <summary>
/// The ε solve shared by ER and ERK (google-research/rigl, <c>sparse_utils.get_sparsities_erdos_renyi</c>):
/// layer l gets density ε·r_l with raw density r_l; ε is chosen so that Σ_l ε·r_l·n_l = d·N.
/// If the layer with the largest r_l would exceed density 1, it (and any layer tied with it) is made
/// dense and ε is re-solved over the rest with the budget d·N − Σ_dense n_l (rigl writes it as
/// Σ_rest d·n_l − Σ_dense (1 − d)·n_l), until no layer exceeds 1. Capping one layer only raises ε,
/// so capping one at a time equals capping all that exceed.
/// </summary>
public abstract class ScaledDensityDistribution : IDensityDistribution
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>The layer's raw density r_l before scaling by ε.</summary>
    public abstract double RawDensity(MaskTarget target);

    /// <summary>Per-layer densities ε·r_l (1 for layers made dense), by target name.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="density"/> is outside (0, 1].</exception>
    public IReadOnlyDictionary<string, double> Densities(IReadOnlyList<MaskTarget> targets, double density)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var (d, _) = Solve(targets, density, RawDensity);
        return targets.Select((t, i) => (t.Name, d[i])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="density"/> is outside (0, 1].</exception>
    public IReadOnlyDictionary<string, int> KeptCounts(IReadOnlyList<MaskTarget> targets, double density, IReadOnlyList<float[]> scores)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return KeptCounts(targets, density, RawDensity);
    }

    /// <summary>Per-layer densities (1 for dense layers) and the final ε.</summary>
    internal static (double[] Densities, double Epsilon) Solve(IReadOnlyList<MaskTarget> targets, double density, Func<MaskTarget, double> raw)
    {
        SparsityChecks.Density(density, nameof(density));
        var r = targets.Select(raw).ToArray();
        var dense = new bool[targets.Count];
        double epsilon = 0;
        while (true)
        {
            double rhs = 0, divisor = 0, maxRaw = double.NegativeInfinity;
            for (int i = 0; i < targets.Count; i++)
            {
                long n = targets[i].Count;
                if (dense[i])
                {
                    rhs -= n * (1 - density);
                }
                else
                {
                    rhs += n * density;
                    divisor += r[i] * n;
                    maxRaw = Math.Max(maxRaw, r[i]);
                }
            }

            if (divisor == 0)
            {
                break; // every layer is dense (density 1)
            }

            epsilon = rhs / divisor;
            if (maxRaw * epsilon <= 1)
            {
                break;
            }

            for (int i = 0; i < targets.Count; i++)
            {
                dense[i] |= !dense[i] && r[i] == maxRaw;
            }
        }

        var densities = new double[targets.Count];
        for (int i = 0; i < targets.Count; i++)
        {
            densities[i] = dense[i] ? 1 : epsilon * r[i];
        }

        return (densities, epsilon);
    }

    /// <summary>Kept count per layer: n for dense layers, else round(ε·r_l·n_l) (half to even), clamped to [0, n].</summary>
    internal static IReadOnlyDictionary<string, int> KeptCounts(IReadOnlyList<MaskTarget> targets, double density, Func<MaskTarget, double> raw)
    {
        var (densities, epsilon) = Solve(targets, density, raw);
        var kept = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < targets.Count; i++)
        {
            int n = targets[i].Count;
            // Same operation order as rigl (ε·r)·n, so the rounding sees the same double.
            kept[targets[i].Name] = densities[i] >= 1 ? n : (int)Math.Clamp(Math.Round(epsilon * raw(targets[i]) * n), 0, n);
        }

        return kept;
    }
}
