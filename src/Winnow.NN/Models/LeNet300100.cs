using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// LeNet-300-100 (LeCun et al. 1998; the MNIST baseline of the sparsity papers, ALGORITHMS.md §2.9):
/// flatten 784 → Linear(784→300) → ReLU → Linear(300→100) → ReLU → Linear(100→classes), PyTorch
/// default init. 266,200 weights and 410 biases on 1×28×28. Outputs logits (the reference's
/// log-softmax + NLL equals cross-entropy on these). With <c>bias</c> false it is edge-popup's "FC"
/// model (§3.10). Parameter names: <c>fc1.*</c>, <c>fc2.*</c>, <c>fc3.*</c>.
/// </summary>
public sealed class LeNet300100 : Module
{
    private readonly Module[] _stack;

    /// <summary>Creates the network for <paramref name="inputFeatures"/> inputs (784 for 1×28×28).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is not positive.</exception>
    /// <remarks><paramref name="widthMultiplier"/> scales the hidden widths (⌊300·w⌋, ⌊100·w⌋), as the MPT width sweeps do.</remarks>
    public LeNet300100(Rng rng, int inputFeatures = 784, int classes = 10, bool bias = true, double widthMultiplier = 1.0)
    {
        int h1 = (int)(300 * widthMultiplier), h2 = (int)(100 * widthMultiplier);
        var fc1 = RegisterModule("fc1", new Linear(inputFeatures, h1, rng, bias));
        var fc2 = RegisterModule("fc2", new Linear(h1, h2, rng, bias));
        var fc3 = RegisterModule("fc3", new Linear(h2, classes, rng, bias));
        _stack = [fc1, new ReLU(), fc2, new ReLU(), fc3];
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        // fc1 → ReLU → fc2 → ReLU → fc3; sparse layers run as one feature-major chain in inference.
        return LinearChain.Forward(input.Rank == 2 ? input : input.Flatten(), _stack);
    }
}
