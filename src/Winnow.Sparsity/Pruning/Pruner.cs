using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Pruning;

/// <summary>
/// One-shot pruning of a <see cref="MaskSet"/>, with rigl's three axes kept apart (STYLE.md §4):
/// the criterion says WHAT matters (a score per weight), the distribution says WHERE the kept
/// weights go (a count per tensor), and the caller says HOW MUCH (the density) and WHEN.
/// <list type="bullet">
/// <item><see cref="Prune"/>: per tensor l keep the k_l highest scores, k_l from the distribution
/// (uniform, ER, ERK, or global = one threshold over all tensors). Ties at the cut are broken by
/// flat index, the higher index kept (<see cref="TopK"/>, ALGORITHMS.md §0.4).</item>
/// <item><see cref="PruneRemainingGlobal"/>: open_lth's iterative-magnitude rule (§4.1, §4.2).</item>
/// </list>
/// Both write the masks and then zero the pruned weights (<see cref="MaskSet.Apply"/>).
/// </summary>
public static partial class Pruner
{
    /// <summary>
    /// Prunes the targets of <paramref name="masks"/> to overall <paramref name="density"/>: scores
    /// every entry with <paramref name="criterion"/>, asks <paramref name="distribution"/> for the
    /// kept count k_l of each tensor and keeps the k_l top-scoring entries (ties by index), then
    /// applies the masks. With <paramref name="respectExisting"/> only entries the mask currently
    /// keeps are candidates (pruned entries stay pruned; used by gradual and iterative pruning):
    /// their scores are treated as −∞, and a tensor asked to keep more than it currently keeps
    /// keeps all its current entries (the report gives the exact result).
    /// </summary>
    /// <returns>Kept/total per tensor after pruning.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="density"/> is outside (0, 1].</exception>
    /// <exception cref="InvalidOperationException">The criterion gave a NaN score, or the distribution a
    /// count outside [0, n] or none for a tensor.</exception>
    public static PruneReport Prune(MaskSet masks, IPruningCriterion criterion, IDensityDistribution distribution, double density, bool respectExisting = false)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(distribution);
        SparsityChecks.Density(density, nameof(density));

        var targets = masks.Targets;
        var scores = new float[targets.Count][];
        var candidates = new int[targets.Count];
        for (int i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            var s = new float[t.Count];
            criterion.Score(t, s);
            CheckScores(criterion, t, s);
            candidates[i] = t.Count;
            if (respectExisting)
            {
                var m = masks[t.Name].Data;
                for (int j = 0; j < s.Length; j++)
                {
                    if (m[j] == 0f)
                    {
                        s[j] = float.NegativeInfinity;
                        candidates[i]--;
                    }
                }
            }

            scores[i] = s;
        }

        var counts = distribution.KeptCounts(targets, density, scores);
        for (int i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            if (!counts.TryGetValue(t.Name, out int k) || k < 0 || k > t.Count)
            {
                throw new InvalidOperationException(
                    $"Distribution '{distribution.Name}' gave {(counts.ContainsKey(t.Name) ? k.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no")} kept count for '{t.Name}'; expected a count in [0, {t.Count}] for every masked tensor.");
            }

            TopK.KeepLargest(scores[i], Math.Min(k, candidates[i]), masks[t.Name].Data);
        }

        masks.MarkChanged();
        masks.Apply();
        return Report(masks);
    }

    /// <summary>Kept/total of every mask of <paramref name="masks"/>, in target order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="masks"/> is null.</exception>
    public static PruneReport Report(MaskSet masks)
    {
        ArgumentNullException.ThrowIfNull(masks);
        return new PruneReport(masks.Targets.Select(t => new LayerDensity(t.Name, masks.KeptIn(t.Name), t.Count)).ToArray());
    }

    private static void CheckScores(IPruningCriterion criterion, MaskTarget target, ReadOnlySpan<float> scores)
    {
        for (int j = 0; j < scores.Length; j++)
        {
            if (float.IsNaN(scores[j]))
            {
                throw new InvalidOperationException(
                    $"Criterion '{criterion.Name}' gave a NaN score for {target.Name}[{j}]; NaN weights or gradients cannot be ranked. Check the weights (a diverged run?) or the batch used for the scores.");
            }
        }
    }
}
