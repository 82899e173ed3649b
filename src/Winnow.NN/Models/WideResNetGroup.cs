using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// A group of n <see cref="WideBasicBlock"/>s (the reference's "NetworkBlock"): the first block maps
/// in→out with the group stride, the rest out→out with stride 1. The blocks live in a Sequential named
/// <c>layer</c>, so names read <c>block1.layer.0.conv1.weight</c> as in the reference.
/// </summary>
public sealed class WideResNetGroup : Module
{
    private readonly Sequential _layer;

    /// <summary>Creates the group.</summary>
    public WideResNetGroup(int blocks, int inChannels, int outChannels, int stride, float dropRate, Rng rng)
    {
        _layer = RegisterModule("layer", new Sequential());
        for (int i = 0; i < blocks; i++)
        {
            _layer.Add(new WideBasicBlock(i == 0 ? inChannels : outChannels, outChannels, i == 0 ? stride : 1, dropRate, rng));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _layer.Forward(input);
}
