namespace Winnow.Sparsity.Pruning;

/// <summary>Kept and total entries of one masked tensor; density = kept / total.</summary>
public sealed record LayerDensity(string Name, int Kept, int Total)
{
    /// <summary>Kept fraction (1 for an empty tensor).</summary>
    public double Density => Total == 0 ? 1 : (double)Kept / Total;
}
