using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Distributions;

/// <summary>
/// "global": one threshold over all masked tensors — the round(d·N) highest scores of the
/// concatenation (in target order) are kept, so the per-layer counts follow from the scores
/// (SNIP's global top-κ, Lee et al. 2019; global magnitude pruning, ALGORITHMS.md §4.1). Order is
/// (score, position in the concatenation), so ties at the cut keep the later tensor / higher index;
/// restricted to one tensor this is exactly <see cref="TopK"/>'s order, so keeping each tensor's
/// top k_l reproduces the global selection. round is half to even. open_lth's iterative variant
/// (τ read at ⌈f·N_rem⌉, strict &gt;) is <see cref="Pruning.Pruner.PruneRemainingGlobal"/>.
/// </summary>
public sealed class GlobalDistribution : IDensityDistribution
{
    /// <inheritdoc/>
    public string Name => "global";

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="density"/> is outside (0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="scores"/> does not hold one array of the weight's length per target.</exception>
    public IReadOnlyDictionary<string, int> KeptCounts(IReadOnlyList<MaskTarget> targets, double density, IReadOnlyList<float[]> scores)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(scores);
        SparsityChecks.Density(density, nameof(density));
        if (scores.Count != targets.Count)
        {
            throw new ArgumentException($"The global distribution needs one score array per masked tensor: {targets.Count} tensors, {scores.Count} score arrays.", nameof(scores));
        }

        var offsets = new long[targets.Count + 1];
        for (int i = 0; i < targets.Count; i++)
        {
            if (scores[i].Length != targets[i].Count)
            {
                throw new ArgumentException($"The global distribution got {scores[i].Length} scores for {targets[i].Name}, which has {targets[i].Count} weights.", nameof(scores));
            }

            offsets[i + 1] = offsets[i] + targets[i].Count;
        }

        long total = offsets[^1];
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"The global distribution ranks all {total} masked weights in one array, more than .NET allows ({Array.MaxLength}); use a per-layer distribution.", nameof(targets));
        }

        var all = new float[total];
        for (int i = 0; i < targets.Count; i++)
        {
            scores[i].CopyTo(all, offsets[i]);
        }

        int keep = (int)Math.Clamp(Math.Round(density * total), 0, total);
        var order = TopK.AscendingOrder(all);
        var counts = new int[targets.Count];
        for (long p = total - keep; p < total; p++)
        {
            int flat = order[p];
            int layer = Array.BinarySearch(offsets, flat);
            layer = layer >= 0 ? layer : ~layer - 1;
            while (offsets[layer + 1] == flat)
            {
                layer++; // skip empty tensors that share an offset
            }

            counts[layer]++;
        }

        return targets.Select((t, i) => (t.Name, counts[i])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
    }
}
