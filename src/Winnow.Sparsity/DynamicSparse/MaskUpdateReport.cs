namespace Winnow.Sparsity.DynamicSparse;

/// <summary>What one mask update did (the CLI writes one per update to updates.jsonl).</summary>
/// <param name="Step">Completed optimiser steps when the update ran.</param>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="PruneRate">Global prune rate p at this step.</param>
/// <param name="Layers">Per-layer figures.</param>
/// <param name="CappingIterations">Passes of the capping loop (0 for layer-wise redistribution).</param>
/// <param name="AdjustedGrowth">Sparse Momentum's adjusted_growth after the update.</param>
public sealed record MaskUpdateReport(long Step, int Epoch, double PruneRate, IReadOnlyList<LayerUpdate> Layers, int CappingIterations, double AdjustedGrowth)
{
    /// <summary>The global_magnitude threshold search of this update (null for layer-wise drop).</summary>
    public ThresholdSearch? DropSearch { get; init; }

    /// <summary>The global_momentum_growth threshold search of this update (null for layer-wise growth).</summary>
    public ThresholdSearch? GrowthSearch { get; init; }

    /// <summary>Active weights after the update.</summary>
    public long Active => Layers.Sum(l => (long)l.ActiveAfter);

    /// <summary>Entries of all masked tensors.</summary>
    public long Total => Layers.Sum(l => (long)l.Total);

    /// <summary>Density over the masked tensors after the update.</summary>
    public double Density => Total == 0 ? 1 : (double)Active / Total;

    /// <summary>Weights dropped in all layers.</summary>
    public long Removed => Layers.Sum(l => (long)l.Removed);

    /// <summary>Positions regrown in all layers.</summary>
    public long Regrown => Layers.Sum(l => (long)l.Regrown);
}
