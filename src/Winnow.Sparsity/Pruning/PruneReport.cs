namespace Winnow.Sparsity.Pruning;

/// <summary>
/// The state of a <see cref="Masks.MaskSet"/> after pruning: kept/total per masked tensor and
/// overall. The denominator is the masked tensors only (ALGORITHMS.md §0.5); biases, BN and
/// unmasked weights are not counted (see <see cref="Reports.SparsityReport"/> for those).
/// </summary>
public sealed record PruneReport(IReadOnlyList<LayerDensity> Layers)
{
    /// <summary>Kept entries over all masked tensors.</summary>
    public long Kept => Layers.Sum(l => (long)l.Kept);

    /// <summary>Entries over all masked tensors.</summary>
    public long Total => Layers.Sum(l => (long)l.Total);

    /// <summary>Kept / total over the masked tensors (1 when there are none).</summary>
    public double Density => Total == 0 ? 1 : (double)Kept / Total;
}
