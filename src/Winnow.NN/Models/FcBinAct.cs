using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// FC_BinAct: the bias-free LeNet-300-100 ("FC") with binary activations, for MPT-1/1 on MNIST-sized
/// inputs. The biprop reference has no FC BinAct model (its FC is an edge-popup MNIST config); this
/// one follows the reference's Conv-N_BinAct classifier pattern (ALGORITHMS.md §3.10): lin → BN → sign,
/// lin → BN → sign, lin(→classes) (logits, no BN); the input image is not binarised. BN is non-affine
/// unless <c>affineBatchNorm</c>. Names: <c>fc1</c>, <c>bn1</c>, <c>fc2</c>, <c>bn2</c>, <c>fc3</c>.
/// </summary>
public sealed class FcBinAct : Module
{
    private readonly Linear _fc1, _fc2, _fc3;
    private readonly BatchNorm1d _bn1, _bn2;

    /// <summary>Creates the network for <paramref name="inputFeatures"/> inputs; hidden widths ⌊300·w⌋ and ⌊100·w⌋.</summary>
    public FcBinAct(Rng rng, int inputFeatures = 784, int classes = 10, double widthMultiplier = 1.0, bool affineBatchNorm = false)
    {
        int h1 = (int)(300 * widthMultiplier), h2 = (int)(100 * widthMultiplier);
        _fc1 = RegisterModule("fc1", new Linear(inputFeatures, h1, rng, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm1d(h1, affine: affineBatchNorm));
        _fc2 = RegisterModule("fc2", new Linear(h1, h2, rng, bias: false));
        _bn2 = RegisterModule("bn2", new BatchNorm1d(h2, affine: affineBatchNorm));
        _fc3 = RegisterModule("fc3", new Linear(h2, classes, rng, bias: false));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input.Rank == 2 ? input : input.Flatten();
        x = Ops.Sign(_bn1.Forward(_fc1.Forward(x)), SignSurrogate.BiReal);
        x = Ops.Sign(_bn2.Forward(_fc2.Forward(x)), SignSurrogate.BiReal);
        return _fc3.Forward(x);
    }
}
