using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// The pre-activation basic block of Wide ResNets (Zagoruyko &amp; Komodakis 2016) exactly as Sparse
/// Momentum's reference writes it (ALGORITHMS.md §2.9). With a = ReLU(BN1(x)):
/// <list type="bullet">
/// <item>in ≠ out: output = convShortcut(a) + branch(a) — the 1×1 shortcut (stride = block stride,
/// no bias) consumes the pre-activated input;</item>
/// <item>in = out: output = x + branch(a) — the identity shortcut carries the raw input.</item>
/// </list>
/// branch(a) = conv2(Dropout(ReLU(BN2(conv1(a))))), conv1 3×3 with the block stride, conv2 3×3
/// stride 1, both padding 1 and no bias; dropout is active in training only. No ReLU after the add.
/// Names (registration order as in the reference): <c>bn1</c>, <c>conv1</c>, <c>bn2</c>, <c>conv2</c>,
/// <c>convShortcut</c> (plus the parameter-free <c>dropout</c>).
/// </summary>
public sealed class WideBasicBlock : Module
{
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn2;
    private readonly Conv2d _conv2;
    private readonly Dropout? _dropout;
    private readonly Conv2d? _convShortcut;

    /// <summary>Creates the block; <paramref name="dropRate"/> 0 leaves dropout out.</summary>
    /// <exception cref="ArgumentException">in = out with a stride other than 1 (the identity shortcut
    /// cannot change the resolution).</exception>
    /// <exception cref="ArgumentOutOfRangeException">dropRate is outside [0, 1).</exception>
    public WideBasicBlock(int inChannels, int outChannels, int stride, float dropRate, Rng rng)
    {
        if (inChannels == outChannels && stride != 1)
        {
            throw new ArgumentException($"WideBasicBlock({inChannels}→{outChannels}, stride {stride}): the identity shortcut (in = out) needs stride 1.", nameof(stride));
        }

        _bn1 = RegisterModule("bn1", new BatchNorm2d(inChannels));
        _conv1 = RegisterModule("conv1", new Conv2d(inChannels, outChannels, 3, rng, stride, 1, bias: false));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(outChannels));
        _conv2 = RegisterModule("conv2", new Conv2d(outChannels, outChannels, 3, rng, 1, 1, bias: false));
        if (dropRate != 0f)
        {
            _dropout = RegisterModule("dropout", new Dropout(dropRate, rng));
        }

        if (inChannels != outChannels)
        {
            _convShortcut = RegisterModule("convShortcut", new Conv2d(inChannels, outChannels, 1, rng, stride, 0, bias: false));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var a = Ops.Relu(_bn1.Forward(input));
        var h = Ops.Relu(_bn2.Forward(_conv1.Forward(a)));
        if (_dropout is not null)
        {
            h = _dropout.Forward(h);
        }

        h = _conv2.Forward(h);
        var skip = _convShortcut is null ? input : _convShortcut.Forward(a);
        return Ops.Add(skip, h);
    }
}
