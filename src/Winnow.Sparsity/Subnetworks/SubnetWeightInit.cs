namespace Winnow.Sparsity.Subnetworks;

/// <summary>The frozen random weights of a subnetwork search (ALGORITHMS.md §3.6); σ = √2/√fan_in.</summary>
public enum SubnetWeightInit
{
    /// <summary>W ~ N(0, σ²) (reference configs "kn"/"ukn").</summary>
    KaimingNormal,

    /// <summary>W = ±σ with random signs (configs "sc"/"usc").</summary>
    SignedConstant,

    /// <summary>W = σ everywhere (configs "uc"/"uuc").</summary>
    UnsignedConstant,
}
