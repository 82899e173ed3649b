using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// CIFAR ResNet-(6n+2) (He et al. 2016; ResNet-20/32/56): conv3×3(3→16) → BN → ReLU → three
/// stages of n basic blocks at widths 16, 32, 64 (strides 1, 2, 2) → global average pool →
/// Linear(64→classes). Shortcuts: 1×1 strided conv, with BN unless <c>shortcutBatchNorm</c> is
/// false (Continuous Sparsification's reference, ALGORITHMS.md §1.10). Conv weights Xavier-normal,
/// classifier Xavier-normal with zero bias, as in that reference.
/// </summary>
public sealed class ResNetCifar : Module
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Sequential _layers;
    private readonly Linear _fc;

    /// <summary>Creates ResNet-<paramref name="depth"/>; depth must be 6n+2 (20, 32, 44, 56, 110).</summary>
    /// <exception cref="ArgumentOutOfRangeException">depth is not of the form 6n+2.</exception>
    public ResNetCifar(int depth, Rng rng, int inChannels = 3, int classes = 10, bool shortcutBatchNorm = false)
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "CIFAR ResNet depth must be 6n+2 (e.g. 20, 32, 44, 56, 110).");
        }

        int n = (depth - 2) / 6;
        _conv1 = RegisterModule("conv1", new Conv2d(inChannels, 16, 3, rng, 1, 1, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(16));
        _layers = RegisterModule("layers", new Sequential());
        int c = 16;
        foreach (var (width, stride) in new[] { (16, 1), (32, 2), (64, 2) })
        {
            for (int b = 0; b < n; b++)
            {
                _layers.Add(new BasicBlock(c, width, b == 0 ? stride : 1, rng, shortcutBatchNorm));
                c = width;
            }
        }

        _fc = RegisterModule("fc", new Linear(64, classes, rng));
        foreach (var (name, p) in NamedParameters())
        {
            if (p.Rank == 4 || name == "fc.weight")
            {
                Init.XavierNormal(p, rng);
            }
            else if (name == "fc.bias")
            {
                Init.Constant(p, 0f);
            }
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = Ops.Relu(_bn1.Forward(_conv1.Forward(input)));
        x = _layers.Forward(x);
        return _fc.Forward(Ops.GlobalAvgPool2d(x));
    }
}
