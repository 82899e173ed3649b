namespace Winnow.Sparsity.Subnetworks;

/// <summary>The denominator of biprop's layer gain α = Σ|W|·M / d in the layer-wise variant (ALGORITHMS.md §3.3).</summary>
public enum AlphaDenominator
{
    /// <summary>d = ⌊k·n⌋, as the reference code (may differ by one from the kept count through floating-point rounding).</summary>
    ReferenceFloor,

    /// <summary>d = the number of kept weights n − ⌊(1 − k)·n⌋ (α is then exactly the mean |W| over kept weights).</summary>
    KeptCount,
}
