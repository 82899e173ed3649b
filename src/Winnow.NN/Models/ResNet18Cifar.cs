using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// biprop's cResNet18 for CIFAR (ALGORITHMS.md §3.10; He et al. 2016 with the CIFAR stem): conv3(→64)
/// BN ReLU; 4 stages of 2 basic blocks, widths 64/128/256/512 (× width multiplier), strides 1/2/2/2,
/// shortcut conv1(stride) + BN when the shape changes; AvgPool 4 → classifier 512→classes (the
/// reference's 1×1 conv, a bias-free <see cref="Linear"/> here). All convs bias-free; BN non-affine
/// unless <c>affineBatchNorm</c> (the "+BN" configs). 11,164,352 conv/linear weights on 3×32×32;
/// on 28×28 the last map is 4×4 too, so the same head applies. Names: <c>conv1</c>, <c>bn1</c>,
/// <c>layer{1..4}.{0,1}</c>, <c>fc</c>.
/// </summary>
public sealed class ResNet18Cifar : Module
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Sequential _layers;
    private readonly Linear _fc;

    /// <summary>Creates the network.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input is smaller than 25×25 (the head needs a 4×4 map).</exception>
    public ResNet18Cifar(Rng rng, int inChannels = 3, int inputSize = 32, int classes = 10, double widthMultiplier = 1.0, bool affineBatchNorm = false)
    {
        if (((inputSize + 7) / 8) != 4)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"cResNet18 ends in a 4×4 average pool and needs a 25×25 to 32×32 input (CIFAR 32, Fashion-MNIST 28); got {inChannels}×{inputSize}×{inputSize}.");
        }

        int w0 = (int)(64 * widthMultiplier);
        _conv1 = RegisterModule("conv1", new Conv2d(inChannels, w0, 3, rng, 1, 1, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(w0, affine: affineBatchNorm));
        _layers = new Sequential();
        int c = w0;
        for (int s = 0; s < 4; s++)
        {
            int w = w0 << s;
            var stage = RegisterModule($"layer{s + 1}", new Sequential(
                new BasicBlock(c, w, s == 0 ? 1 : 2, rng, affineBatchNorm: affineBatchNorm),
                new BasicBlock(w, w, 1, rng, affineBatchNorm: affineBatchNorm)));
            _layers.Add(stage);
            c = w;
        }

        _fc = RegisterModule("fc", new Linear(c, classes, rng, bias: false));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var h = Ops.Relu(_bn1.Forward(_conv1.Forward(input)));
        h = _layers.Forward(h);
        return _fc.Forward(Ops.AvgPool2d(h, 4, 4, 0).Flatten());
    }
}
