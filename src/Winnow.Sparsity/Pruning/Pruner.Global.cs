using Winnow.NN;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Pruning;

public static partial class Pruner
{
    /// <summary>
    /// open_lth's global magnitude rule for iterative magnitude pruning (ALGORITHMS.md §4.1–4.2;
    /// facebookresearch/open_lth, <c>pruning/sparse_global.py</c>). Let N_rem be the number of weights
    /// the masks currently keep and V the |w| of the currently kept weights of the tensors NOT listed
    /// in <paramref name="ignore"/>, sorted ascending. Then τ = V[⌈f·N_rem⌉] (0-based; f·N_rem in double
    /// precision, as NumPy) and a weight stays kept iff it is kept now and |w| &gt; τ. Ignored tensors
    /// keep their masks. Then the masks are applied.
    /// <para>
    /// Off-by-one (kept on purpose, it is the reference): the strict "&gt;" also prunes the element at
    /// index ⌈f·N_rem⌉ and every weight tied with it, so one call prunes ⌈f·N_rem⌉ + 1 weights plus
    /// ties — e.g. f = 0.25 on |w| = 1…8 keeps 5 (not 6), and f = 0 still prunes the smallest weight.
    /// Density after ℓ calls is therefore slightly below (1 − f)^ℓ.
    /// </para>
    /// <para>
    /// Reference quirk <paramref name="countIgnored"/> (default true = open_lth): N_rem counts the
    /// remaining weights of ALL masked tensors, ignored ones included, while τ is read from the
    /// non-ignored ones only; so ignoring LeNet's <c>fc3.weight</c> prunes ⌈0.2·266,200⌉ from the other
    /// 265,200 weights at level 1. To reproduce open_lth, keep the ignored tensor in the
    /// <see cref="MaskSet"/> and list it here. False counts the non-ignored tensors only.
    /// </para>
    /// </summary>
    /// <param name="masks">The masks to prune; weights are read from their targets (the trained weights).</param>
    /// <param name="fraction">f in [0, 1): fraction of the remaining weights removed (open_lth default 0.2).</param>
    /// <param name="ignore">Weight names excluded from the pool (open_lth's <c>pruning_layers_to_ignore</c>); each must be a
    /// conv/linear weight of the model (unmasked ones are accepted and change nothing).</param>
    /// <param name="countIgnored">Count the ignored tensors' remaining weights in N_rem (open_lth), see above.</param>
    /// <returns>Kept/total per masked tensor after pruning.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside [0, 1).</exception>
    /// <exception cref="ArgumentException">An ignored name is not a conv/linear weight of the model, or every
    /// masked tensor is ignored.</exception>
    /// <exception cref="InvalidOperationException">⌈f·N_rem⌉ is not an index of the pool (nothing left to prune, or the
    /// ignored tensors hold so many weights that the reference would index past the end).</exception>
    public static PruneReport PruneRemainingGlobal(MaskSet masks, double fraction, IReadOnlyCollection<string>? ignore = null, bool countIgnored = true)
    {
        ArgumentNullException.ThrowIfNull(masks);
        SparsityChecks.Fraction(fraction, nameof(fraction));
        var ignored = ResolveIgnored(masks, ignore ?? []);
        var pool = masks.Targets.Where(t => !ignored.Contains(t.Name)).ToArray();
        if (pool.Length == 0)
        {
            throw new ArgumentException(
                $"Every masked tensor is ignored ({string.Join(", ", ignored)}), so there is nothing to prune. Ignore fewer tensors or mask more.", nameof(ignore));
        }

        long remaining = (countIgnored ? masks.Targets : pool).Sum(t => (long)masks.KeptIn(t.Name));
        var values = new List<float>();
        foreach (var t in pool)
        {
            var w = t.Weight.Data;
            var m = masks[t.Name].Data;
            for (int j = 0; j < w.Length; j++)
            {
                if (m[j] != 0f)
                {
                    values.Add(Math.Abs(w[j]));
                }
            }
        }

        long index = (long)Math.Ceiling(fraction * remaining);
        if (index >= values.Count)
        {
            throw new InvalidOperationException(
                $"Cannot prune {SparsityChecks.Show(fraction)} of the {remaining} remaining weights: the threshold index ⌈f·N_rem⌉ = {index} is past the {values.Count} remaining weights of the pruned tensors"
                + (countIgnored && remaining != values.Count ? " (N_rem includes the ignored tensors, as open_lth; pass countIgnored: false to count only the pruned tensors)." : "."));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        float threshold = sorted[index];
        foreach (var t in pool)
        {
            var w = t.Weight.Data;
            var m = masks[t.Name].Data;
            for (int j = 0; j < w.Length; j++)
            {
                m[j] = m[j] != 0f && Math.Abs(w[j]) > threshold ? 1f : 0f;
            }
        }

        masks.MarkChanged();
        masks.Apply();
        return Report(masks);
    }

    private static HashSet<string> ResolveIgnored(MaskSet masks, IReadOnlyCollection<string> ignore)
    {
        var weights = MaskableSelection.Candidates(masks.Model).Select(t => t.Name).ToArray();
        foreach (var name in ignore)
        {
            if (!weights.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"Cannot ignore '{name}': it is not a conv or linear weight of this model.{Winnow.Settings.NameSuggestions.DidYouMean(name, weights)} Weights: {string.Join(", ", weights)}.", nameof(ignore));
            }
        }

        return ignore.ToHashSet(StringComparer.Ordinal);
    }
}
