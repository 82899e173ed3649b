using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// LeNet-5-Caffe (the Caffe variant of LeCun et al. 1998 used by Sparse Momentum, Dettmers &amp;
/// Zettlemoyer 2019; ALGORITHMS.md §2.9): Conv(C→20, 5×5, no padding) → ReLU → MaxPool 2 →
/// Conv(20→50, 5×5) → ReLU → MaxPool 2 → flatten → Linear(→500) → ReLU → Linear(500→classes); all
/// with bias, PyTorch default init. On 1×28×28 the flatten is 800 = 50·4·4, giving 430,500 weights
/// and 580 biases. Outputs logits (the reference's log-softmax + NLL equals cross-entropy on these).
/// Parameter names: <c>conv1.*</c>, <c>conv2.*</c>, <c>fc3.*</c>, <c>fc4.*</c> (as in the reference).
/// </summary>
public sealed class LeNet5Caffe : Module
{
    /// <summary>Smallest square input the two conv/pool stages accept: ((16−4)/2−4)/2 = 1.</summary>
    public const int MinInputSize = 16;

    private readonly Conv2d _conv1, _conv2;
    private readonly Module[] _head;

    /// <summary>Creates the network for square inputs of <paramref name="inputSize"/> (28 for MNIST).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input is smaller than 16×16.</exception>
    public LeNet5Caffe(Rng rng, int inChannels = 1, int inputSize = 28, int classes = 10)
    {
        if (inputSize < MinInputSize)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize,
                $"LeNet-5-Caffe needs a square input of at least {MinInputSize}×{MinInputSize} (two 5×5 valid convs, each followed by a 2×2 max-pool); got {inChannels}×{inputSize}×{inputSize}.");
        }

        _conv1 = RegisterModule("conv1", new Conv2d(inChannels, 20, 5, rng));
        _conv2 = RegisterModule("conv2", new Conv2d(20, 50, 5, rng));
        int s = ((inputSize - 4) / 2 - 4) / 2;
        var fc3 = RegisterModule("fc3", new Linear(50 * s * s, 500, rng));
        var fc4 = RegisterModule("fc4", new Linear(500, classes, rng));
        _head = [fc3, new ReLU(), fc4];
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Each ReLU runs after its max-pool instead of before: max(relu(a), relu(b)) = relu(max(a, b)),
    /// and the gradient reaches the same element (the window's first maximum when it is positive,
    /// nothing otherwise), so outputs and gradients are those of Conv → ReLU → MaxPool exactly, with
    /// the ReLU on a quarter of the elements.
    /// </remarks>
    public override Tensor Forward(Tensor input)
    {
        var x = Ops.Relu(Ops.MaxPool2d(_conv1.Forward(input), 2));
        x = Ops.Relu(Ops.MaxPool2d(_conv2.Forward(x), 2));
        return LinearChain.Forward(x.Flatten(), _head); // fc3 → ReLU → fc4, one fused chain when sparse in inference
    }
}
