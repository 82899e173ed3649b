namespace Winnow.NN.Models;

/// <summary>The three VGG variants of the SNIP paper (Lee et al. 2019), as used by Sparse Momentum.</summary>
public enum VggSnipVariant
{
    /// <summary>VGG16-C: the third conv of blocks 3–5 is 1×1 (with the reference's padding-1 quirk); two-hidden-layer classifier.</summary>
    C,

    /// <summary>VGG16-D: 13 convs 3×3; two-hidden-layer classifier.</summary>
    D,

    /// <summary>VGG-like: the D features with a one-hidden-layer classifier.</summary>
    Like,
}
