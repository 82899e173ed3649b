using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// biprop's VGG-Small family (ALGORITHMS.md §3.10), bias-free, BN non-affine unless <c>affineBatchNorm</c>.
/// Three blocks of two conv3 with widths c1, c2, c3, each block ending in MaxPool 2×2, then flatten →
/// Linear(c3·(S/8)² → classes):
/// <list type="bullet">
/// <item><see cref="VggSmallVariant.Plain"/> (c = 128/256/512): conv ReLU conv MP BN | conv conv MP BN |
/// conv conv MP BN ReLU → lin. Reproduces the reference as written: the other ReLUs are commented out
/// there, so apart from pooling the only nonlinearities are the first ReLU and the one before the
/// classifier. 4,656,512 weights on 3×32×32.</item>
/// <item><see cref="VggSmallVariant.BinAct"/> (c = 128/256/512): conv sign conv MP BN sign | conv sign conv
/// MP BN sign | conv sign conv MP BN ReLU → lin (only every second conv is followed by BN; the last
/// activation is ReLU).</item>
/// <item><see cref="VggSmallVariant.Wide"/> (c = s(16), s(32), s(64), s(x) = ⌊x·10·w⌋, i.e. 160/320/640):
/// every conv followed by BN (the second after the pool) and sign, the last activation ReLU.</item>
/// </list>
/// The width multiplier w scales every hidden width. Names: <c>features.{i}</c>, <c>classifier</c>.
/// </summary>
public sealed class VggSmall : Module
{
    private readonly Sequential _features;
    private readonly Linear _classifier;

    /// <summary>Creates the network for inputs (inChannels, inputSize, inputSize).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input is smaller than 8×8.</exception>
    public VggSmall(VggSmallVariant variant, Rng rng, int inChannels = 3, int inputSize = 32, int classes = 10, double widthMultiplier = 1.0, bool affineBatchNorm = false)
    {
        if (inputSize < 8)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"VGG-Small halves the map 3 times and needs at least 8×8; got {inChannels}×{inputSize}×{inputSize}.");
        }

        Variant = variant;
        int[] widths = variant == VggSmallVariant.Wide
            ? [(int)(16 * 10 * widthMultiplier), (int)(32 * 10 * widthMultiplier), (int)(64 * 10 * widthMultiplier)]
            : [(int)(128 * widthMultiplier), (int)(256 * widthMultiplier), (int)(512 * widthMultiplier)];
        _features = RegisterModule("features", new Sequential());
        int c = inChannels, size = inputSize;
        for (int b = 0; b < 3; b++)
        {
            int w = widths[b];
            bool last = b == 2;
            _features.Add(new Conv2d(c, w, 3, rng, 1, 1, bias: false));
            switch (variant)
            {
                case VggSmallVariant.Plain when b == 0:
                    _features.Add(new ReLU());
                    break;
                case VggSmallVariant.BinAct:
                    _features.Add(new BiRealAct());
                    break;
                case VggSmallVariant.Wide:
                    _features.Add(new BatchNorm2d(w, affine: affineBatchNorm)).Add(new BiRealAct());
                    break;
            }

            _features.Add(new Conv2d(w, w, 3, rng, 1, 1, bias: false)).Add(new MaxPool2d(2)).Add(new BatchNorm2d(w, affine: affineBatchNorm));
            if (last)
            {
                _features.Add(new ReLU());
            }
            else if (variant != VggSmallVariant.Plain)
            {
                _features.Add(new BiRealAct());
            }
            c = w;
            size /= 2;
        }

        _classifier = RegisterModule("classifier", new Linear(c * size * size, classes, rng, bias: false));
    }

    public VggSmallVariant Variant { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _classifier.Forward(_features.Forward(input).Flatten());
}
