namespace Winnow.Sparsity.Reports;

/// <summary>
/// One conv/linear weight in a <see cref="SparsityReport"/>: kind ("conv" or "linear"), weight shape,
/// kept/total entries, and multiply-accumulates per image, dense and sparse
/// (sparse = dense·kept/total: every weight of a layer is used the same number of times, out_h·out_w
/// for a conv and once for a linear layer, so this is exact). <see cref="Masked"/> says whether the
/// kept count comes from a mask (true) or from the non-zero effective weights (false).
/// </summary>
public sealed record LayerSparsity(string Name, string Kind, int[] Shape, int Kept, int Total, long DenseMacs, long SparseMacs, bool Masked)
{
    /// <summary>Kept / total (1 for an empty tensor).</summary>
    public double Density => Total == 0 ? 1 : (double)Kept / Total;
}
