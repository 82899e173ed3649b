using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// VGG-16 with batch norm in the common CIFAR form (Simonyan &amp; Zisserman 2015, configuration "D",
/// adapted to 32×32 inputs as in the widely used pytorch-cifar code; the VGG-16 of the Continuous
/// Sparsification paper's CIFAR-10 experiments). Features: 64,64,M,128,128,M,256,256,256,M,
/// 512,512,512,M,512,512,512,M where each number is Conv(3×3, padding 1, bias) → BN2d → ReLU and M is
/// MaxPool 2×2 stride 2; then flatten → a single Linear(512·s²→classes) classifier (s = S/32 after the
/// five halvings, so 512 on 32×32). This is the one-layer CIFAR classifier, not the SNIP "D"
/// classifier (for that, use <see cref="VggSnip"/> with <see cref="VggSnipVariant.D"/>).
/// PyTorch default init. 14,710,464 conv weights + 5,120 classifier weights on 3×32×32.
/// Needs S ≥ 32 (five 2×2 max-pools). Names: <c>features.{i}</c>, <c>classifier.weight|bias</c>.
/// </summary>
public sealed class Vgg16 : Module
{
    private readonly Sequential _features;
    private readonly Linear _classifier;

    /// <summary>Creates the network for (inChannels, inputSize, inputSize) inputs.</summary>
    /// <exception cref="ArgumentException">The input is smaller than 32×32.</exception>
    public Vgg16(Rng rng, int inChannels = 3, int inputSize = 32, int classes = 10)
    {
        _features = RegisterModule("features", VggFeatures.Build("VGG-16", VggFeatures.ConfigD, inChannels, inputSize, 0, rng, out int c, out int s));
        _classifier = RegisterModule("classifier", new Linear(c * s * s, classes, rng));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _classifier.Forward(_features.Forward(input).Flatten());
}
