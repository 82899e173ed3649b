using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// Wide ResNet WRN-d-k for CIFAR (Zagoruyko &amp; Komodakis 2016, "Wide Residual Networks") exactly as
/// Sparse Momentum's reference builds it (Dettmers &amp; Zettlemoyer 2019; ALGORITHMS.md §2.9).
/// n = (d−4)/6 pre-activation blocks per group, widths 16, 16k, 32k, 64k:
/// Conv(C→16, 3×3, padding 1, no bias) → group1 (n blocks, stride 1) → group2 (stride 2) →
/// group3 (stride 2) → BN → ReLU → average pool → Linear(64k→classes, bias). Blocks:
/// <see cref="WideBasicBlock"/> with dropout p = 0.3 (training only) for every preset.
/// Head: the reference's AvgPool(8) on the final 8×8 map is implemented as a global average pool,
/// identical on 32×32 inputs and valid for other sizes (7×7 on 28×28).
/// Init: every conv (stem, blocks, shortcuts) N(0, 2/(k·k·out_channels)) (Kaiming-normal, fan-out),
/// BN γ = 1, β = 0, Linear bias 0 and the Linear weight PyTorch's default U(±1/√fan_in).
/// Conv + linear weights on 3×32×32: WRN-16-8 10,954,160; WRN-16-10 17,107,632; WRN-22-8 17,147,312;
/// WRN-28-2 1,463,984. Outputs logits (the reference's log-softmax + NLL equals cross-entropy).
/// Names: <c>conv1</c>, <c>block{1,2,3}.layer.{b}.{bn1,conv1,bn2,conv2,convShortcut}</c>, <c>bn1</c>, <c>fc</c>.
/// </summary>
public sealed class WideResNet : Module
{
    private readonly Conv2d _conv1;
    private readonly WideResNetGroup _block1, _block2, _block3;
    private readonly BatchNorm2d _bn1;
    private readonly Linear _fc;

    /// <summary>Creates WRN-<paramref name="depth"/>-<paramref name="widenFactor"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">depth is not 6n+4 with n ≥ 1, the widen factor is not
    /// positive, or dropRate is outside [0, 1).</exception>
    public WideResNet(int depth, int widenFactor, Rng rng, int inChannels = 3, int classes = 10, float dropRate = 0.3f)
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "Wide ResNet depth must be 6n+4 with n ≥ 1 (e.g. 16, 22, 28, 40).");
        }

        if (widenFactor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(widenFactor), widenFactor, "Wide ResNet widen factor k must be ≥ 1.");
        }

        Depth = depth;
        WidenFactor = widenFactor;
        int n = (depth - 4) / 6;
        int[] widths = [16, 16 * widenFactor, 32 * widenFactor, 64 * widenFactor];
        _conv1 = RegisterModule("conv1", new Conv2d(inChannels, widths[0], 3, rng, 1, 1, bias: false));
        _block1 = RegisterModule("block1", new WideResNetGroup(n, widths[0], widths[1], 1, dropRate, rng));
        _block2 = RegisterModule("block2", new WideResNetGroup(n, widths[1], widths[2], 2, dropRate, rng));
        _block3 = RegisterModule("block3", new WideResNetGroup(n, widths[2], widths[3], 2, dropRate, rng));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(widths[3]));
        _fc = RegisterModule("fc", new Linear(widths[3], classes, rng));

        foreach (var (_, module) in NamedModules())
        {
            if (module is Conv2d conv)
            {
                Init.KaimingNormal(conv.Weight, rng, Init.FanMode.FanOut);
            }
        }

        Init.Constant(_fc.Bias!, 0f);
    }

    /// <summary>Depth d.</summary>
    public int Depth { get; }

    /// <summary>Widen factor k.</summary>
    public int WidenFactor { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = _conv1.Forward(input);
        x = _block3.Forward(_block2.Forward(_block1.Forward(x)));
        x = Ops.Relu(_bn1.Forward(x));
        return _fc.Forward(Ops.GlobalAvgPool2d(x));
    }
}
