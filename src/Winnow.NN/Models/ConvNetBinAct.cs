using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// biprop's Conv-N_BinAct (MPT-1/1, ALGORITHMS.md §3.10): the bias-free Conv-2/4/6/8 shapes of
/// <see cref="ConvNet"/> with sign activations (<see cref="BiRealAct"/>) and batch norm. Each conv
/// pair is conv3 → BN → sign, conv3 → MaxPool → BN → sign (pooling BEFORE the BN on the second conv,
/// as the reference); the classifier is lin → BN → sign, lin → BN → sign, lin(→classes) (logits, no
/// BN). BN is non-affine unless <c>affineBatchNorm</c>. The reference's 1×1-conv "linear" layers are
/// <see cref="Linear"/> here (same weights, same fan). Names: <c>features.{i}</c>, <c>classifier.{i}</c>.
/// </summary>
public sealed class ConvNetBinAct : Module
{
    private readonly Sequential _features;
    private readonly Sequential _classifier;

    /// <summary>Creates Conv-<paramref name="depth"/>_BinAct for inputs (inChannels, inputSize, inputSize).</summary>
    /// <exception cref="ArgumentOutOfRangeException">depth is not 2, 4, 6 or 8, or the input is too small.</exception>
    public ConvNetBinAct(int depth, Rng rng, int inChannels = 3, int inputSize = 32, int classes = 10, double widthMultiplier = 1.0, bool affineBatchNorm = false)
    {
        if (depth is not (2 or 4 or 6 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "Conv-N depth must be 2, 4, 6 or 8.");
        }

        int pairs = depth / 2;
        if (inputSize >> pairs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize,
                $"Conv-{depth}_BinAct halves the map {pairs} times and needs a square input of at least {1 << pairs}×{1 << pairs}; got {inChannels}×{inputSize}×{inputSize}.");
        }

        _features = RegisterModule("features", new Sequential());
        int c = inChannels, size = inputSize;
        for (int p = 0; p < pairs; p++)
        {
            int width = (int)(64 * (1 << p) * widthMultiplier);
            _features.Add(new Conv2d(c, width, 3, rng, 1, 1, bias: false)).Add(new BatchNorm2d(width, affine: affineBatchNorm)).Add(new BiRealAct());
            _features.Add(new Conv2d(width, width, 3, rng, 1, 1, bias: false)).Add(new MaxPool2d(2)).Add(new BatchNorm2d(width, affine: affineBatchNorm)).Add(new BiRealAct());
            c = width;
            size /= 2;
        }

        int hidden = (int)(256 * widthMultiplier);
        _classifier = RegisterModule("classifier", new Sequential(
            new Linear(c * size * size, hidden, rng, bias: false), new BatchNorm1d(hidden, affine: affineBatchNorm), new BiRealAct(),
            new Linear(hidden, hidden, rng, bias: false), new BatchNorm1d(hidden, affine: affineBatchNorm), new BiRealAct(),
            new Linear(hidden, classes, rng, bias: false)));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _classifier.Forward(_features.Forward(input).Flatten());
}
