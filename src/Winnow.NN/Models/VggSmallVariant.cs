namespace Winnow.NN.Models;

/// <summary>The three VGG-Small forms of biprop (ALGORITHMS.md §3.10).</summary>
public enum VggSmallVariant
{
    /// <summary>VGG_Small (MPT-1/32): ReLU only after the first conv and before the classifier (reference quirk).</summary>
    Plain,

    /// <summary>VGG_Small_BinAct (MPT-1/1): sign after every conv, BN only after each pooled conv.</summary>
    BinAct,

    /// <summary>Wide_VGG_Small (MPT-1/1, width_mult 10 = 1.25× VGG-Small): BN → sign after every conv.</summary>
    Wide,
}
