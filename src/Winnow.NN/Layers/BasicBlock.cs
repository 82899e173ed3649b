namespace Winnow.NN.Layers;

/// <summary>
/// The CIFAR ResNet basic block: conv3×3(stride) → BN → ReLU → conv3×3 → BN, plus the shortcut,
/// then ReLU. The shortcut is the identity when shapes match, else a 1×1 strided conv (named
/// <c>shortcut.0</c>), followed by BN (<c>shortcut.1</c>) when <c>shortcutBatchNorm</c> is set
/// (torchvision style); Continuous Sparsification's reference ResNet-20 has no BN there. biprop's
/// cResNet18 uses non-affine BN (<c>affineBatchNorm</c> false) unless its "+BN" configs.
/// </summary>
public sealed class BasicBlock : Module
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Sequential? _shortcut;

    /// <summary>Creates the block.</summary>
    public BasicBlock(int inChannels, int outChannels, int stride, Rng rng, bool shortcutBatchNorm = true, bool affineBatchNorm = true)
    {
        _conv1 = RegisterModule("conv1", new Conv2d(inChannels, outChannels, 3, rng, stride, 1, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(outChannels, affine: affineBatchNorm));
        _conv2 = RegisterModule("conv2", new Conv2d(outChannels, outChannels, 3, rng, 1, 1, bias: false));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(outChannels, affine: affineBatchNorm));
        if (stride != 1 || inChannels != outChannels)
        {
            _shortcut = RegisterModule("shortcut", new Sequential(new Conv2d(inChannels, outChannels, 1, rng, stride, 0, bias: false)));
            if (shortcutBatchNorm)
            {
                _shortcut.Add(new BatchNorm2d(outChannels, affine: affineBatchNorm));
            }
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var h = Ops.Relu(_bn1.Forward(_conv1.Forward(input)));
        h = _bn2.Forward(_conv2.Forward(h));
        var skip = _shortcut is null ? input : _shortcut.Forward(input);
        return Ops.Relu(Ops.Add(h, skip));
    }
}
