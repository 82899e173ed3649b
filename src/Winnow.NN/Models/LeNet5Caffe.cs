using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// LeNet-5-Caffe: Conv(1→20, 5×5) → ReLU → MaxPool 2 → Conv(20→50, 5×5) → ReLU → MaxPool 2 →
/// flatten 800 → Linear(800→500) → ReLU → Linear(500→10); all with bias, PyTorch default init.
/// 430,500 weights, 580 biases on 1×28×28 input. Outputs logits.
/// </summary>
public sealed class LeNet5Caffe : Module
{
    private readonly Conv2d _conv1, _conv2;
    private readonly Linear _fc3, _fc4;

    /// <summary>Creates the network for square inputs of <paramref name="inputSize"/> (28 for MNIST).</summary>
    public LeNet5Caffe(Rng rng, int inChannels = 1, int inputSize = 28, int classes = 10)
    {
        _conv1 = RegisterModule("conv1", new Conv2d(inChannels, 20, 5, rng));
        _conv2 = RegisterModule("conv2", new Conv2d(20, 50, 5, rng));
        int s = ((inputSize - 4) / 2 - 4) / 2;
        _fc3 = RegisterModule("fc3", new Linear(50 * s * s, 500, rng));
        _fc4 = RegisterModule("fc4", new Linear(500, classes, rng));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = Ops.MaxPool2d(Ops.Relu(_conv1.Forward(input)), 2);
        x = Ops.MaxPool2d(Ops.Relu(_conv2.Forward(x)), 2);
        x = Ops.Relu(_fc3.Forward(x.Flatten()));
        return _fc4.Forward(x);
    }
}
