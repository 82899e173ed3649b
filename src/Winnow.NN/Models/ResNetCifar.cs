using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// CIFAR ResNet-(6n+2) (He et al. 2016; ResNet-20/32/56) in the form of Continuous Sparsification's
/// reference model (Savarese et al. 2020, ALGORITHMS.md §1.10, called "ResNet-18" there):
/// conv3×3(C→16, pad 1, no bias) → BN → ReLU → three stages of n basic blocks (<see cref="BasicBlock"/>)
/// at widths 16, 32, 64 with strides 1, 2, 2 → average pool → Linear(64→classes, bias).
/// Block: conv3×3(stride) → BN → ReLU → conv3×3 → BN, plus the shortcut, then ReLU. The shortcut is
/// the identity, or at the first block of stages 2 and 3 a plain 1×1 conv with stride 2 and no bias,
/// with no BatchNorm unless <c>shortcutBatchNorm</c> is true (the reference hard-codes stride 2; in
/// this architecture the shortcut only ever appears where the block stride is 2, so passing the block
/// stride is the same). Head: the reference's AvgPool(8) on the final 8×8 map is implemented as a
/// global average pool, which is identical on 32×32 inputs and also takes other sizes (7×7 on 28×28).
/// Init: every conv (stem, blocks, shortcuts) and the classifier weight Xavier-normal, classifier
/// bias 0, BN γ = 1, β = 0. ResNet-20 on 3×32×32: 3×3 conv weights 267,696, shortcut weights 2,560,
/// classifier 650 (640 weights + 10 biases). Outputs logits.
/// Names: <c>conv1</c>, <c>bn1</c>, <c>layers.{b}.conv1|bn1|conv2|bn2|shortcut.0</c>, <c>fc</c>.
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
