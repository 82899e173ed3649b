using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// The VGG16-C, VGG16-D and VGG-like networks of SNIP (Lee et al. 2019, "SNIP: Single-shot Network
/// Pruning based on Connection Sensitivity") exactly as Sparse Momentum's reference builds them
/// (Dettmers &amp; Zettlemoyer 2019, sparse_learning; ALGORITHMS.md §2.9).
/// <para>Features: each conv is Conv(k×k, padding 1, bias) → BN2d → ReLU and M is MaxPool 2×2 stride 2.
/// D and like: 64,64,M,128,128,M,256,256,256,M,512,512,512,M,512,512,512,M (all 3×3) → 512×1×1 on
/// 32×32. C: like D but the third conv of blocks 3, 4 and 5 is a 1×1 conv — with padding 1 in the
/// reference, which grows the map by 2 px (8→10, 5→7, 3→5) and leaves 512×2×2 = 2048 features on
/// 32×32. That quirk is the <c>oneByOnePadding</c> option: 1 (default) reproduces the reference, 0
/// gives the original VGG-C (512 features on 32×32).</para>
/// <para>Classifier (BN replaces dropout; note ReLU before BN1d): C and D: Linear(F→512) → ReLU →
/// BN1d(512) → Linear(512→512) → ReLU → BN1d(512) → Linear(512→classes); like: Linear(F→512) → ReLU →
/// BN1d(512) → Linear(512→classes). F = the flattened feature size, computed from the input (the
/// reference's hard-coded 512/2048 are the 32×32 values). PyTorch default init everywhere.</para>
/// <para>Conv + linear weights on 3×32×32: D 15,239,872; C 11,307,712; like 14,977,728. Outputs
/// logits (the reference's log-softmax + NLL equals cross-entropy on these). Names:
/// <c>features.{i}.*</c>, <c>classifier.{0,2,3,5,6}.*</c> (e.g. <c>classifier.2.bias</c> is the first BN1d's β).</para>
/// </summary>
public sealed class VggSnip : Module
{
    private readonly Sequential _features;
    private readonly Sequential _classifier;

    /// <summary>Creates the variant for (inChannels, inputSize, inputSize) inputs.</summary>
    /// <exception cref="ArgumentException">The input is too small for the five max-pools (D and like need
    /// 32×32; C with the padding quirk takes smaller inputs such as 28×28).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="oneByOnePadding"/> is negative.</exception>
    public VggSnip(VggSnipVariant variant, Rng rng, int inChannels = 3, int inputSize = 32, int classes = 10, int oneByOnePadding = 1)
    {
        if (oneByOnePadding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(oneByOnePadding), oneByOnePadding, "VGG16-C's 1×1-conv padding must be ≥ 0 (1 reproduces the reference, 0 is the original VGG-C).");
        }

        Variant = variant;
        OneByOnePadding = oneByOnePadding;
        var (name, config) = variant switch
        {
            VggSnipVariant.C => ("VGG16-C", VggFeatures.ConfigC),
            VggSnipVariant.D => ("VGG16-D", VggFeatures.ConfigD),
            VggSnipVariant.Like => ("VGG-like", VggFeatures.ConfigD),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown VGG variant; expected C, D or Like."),
        };
        _features = RegisterModule("features", VggFeatures.Build(name, config, inChannels, inputSize, oneByOnePadding, rng, out int c, out int s));
        FlattenedFeatures = c * s * s;
        _classifier = RegisterModule("classifier", new Sequential(new Linear(FlattenedFeatures, 512, rng), new ReLU(), new BatchNorm1d(512)));
        if (variant != VggSnipVariant.Like)
        {
            _classifier.Add(new Linear(512, 512, rng)).Add(new ReLU()).Add(new BatchNorm1d(512));
        }

        _classifier.Add(new Linear(512, classes, rng));
    }

    /// <summary>Which SNIP variant this is.</summary>
    public VggSnipVariant Variant { get; }

    /// <summary>Padding of VGG-C's 1×1 convs (1 = reference quirk).</summary>
    public int OneByOnePadding { get; }

    /// <summary>Input size of the classifier (2048 for C and 512 for D/like on 32×32).</summary>
    public int FlattenedFeatures { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _classifier.Forward(_features.Forward(input).Flatten());
}
