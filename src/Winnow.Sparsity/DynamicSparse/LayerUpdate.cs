namespace Winnow.Sparsity.DynamicSparse;

/// <summary>One layer's part of a mask update: counts before/after, removed and regrown, and its redistribution share.</summary>
/// <param name="Name">Masked weight name.</param>
/// <param name="Total">Entries of the tensor.</param>
/// <param name="ActiveBefore">Active entries before the update (nnz_l).</param>
/// <param name="Removed">Weights dropped.</param>
/// <param name="Requested">Regrowth budget ⌊g_l⌋ (global growth: the positions its threshold selected in this layer).</param>
/// <param name="Regrown">Positions activated (0 → 1, including just-dropped ones regrown).</param>
/// <param name="ActiveAfter">Active entries after the update.</param>
/// <param name="Share">Normalised redistribution share (NaN for layer-wise redistribution).</param>
/// <param name="PruneRate">This layer's prune rate p_l.</param>
public sealed record LayerUpdate(string Name, int Total, int ActiveBefore, int Removed, int Requested, int Regrown, int ActiveAfter, double Share, double PruneRate)
{
    /// <summary>Density after the update.</summary>
    public double Density => Total == 0 ? 1 : (double)ActiveAfter / Total;
}
