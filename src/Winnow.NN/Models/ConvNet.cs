using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// Conv-2/4/6/8 (Frankle &amp; Carbin 2019; edge-popup/biprop Conv-N): pairs of 3×3 pad-1 convs
/// with ReLU, each pair followed by MaxPool 2; widths 64, 128, 256, 512 per pair (times
/// <c>widthMultiplier</c>); then Linear(→256) ReLU Linear(256→256) ReLU Linear(256→classes).
/// Biases on (weight-trained variant). Names: <c>features.{i}</c>, <c>classifier.{i}</c>.
/// </summary>
public sealed class ConvNet : Module
{
    private readonly Sequential _features;
    private readonly Sequential _classifier;

    /// <summary>Creates Conv-<paramref name="depth"/> for inputs (inChannels, inputSize, inputSize).</summary>
    /// <exception cref="ArgumentOutOfRangeException">depth is not 2, 4, 6 or 8, or the input is too small.</exception>
    public ConvNet(int depth, Rng rng, int inChannels = 1, int inputSize = 28, int classes = 10, double widthMultiplier = 1.0, bool bias = true)
    {
        if (depth is not (2 or 4 or 6 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "Conv-N depth must be 2, 4, 6 or 8.");
        }

        int pairs = depth / 2;
        if (inputSize >> pairs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"Conv-{depth} halves the input {pairs} times; a {inputSize}×{inputSize} input is too small.");
        }

        _features = RegisterModule("features", new Sequential());
        int c = inChannels, size = inputSize;
        for (int p = 0; p < pairs; p++)
        {
            int width = (int)(64 * (1 << p) * widthMultiplier);
            _features.Add(new Conv2d(c, width, 3, rng, 1, 1, bias)).Add(new ReLU());
            _features.Add(new Conv2d(width, width, 3, rng, 1, 1, bias)).Add(new ReLU());
            _features.Add(new MaxPool2d(2));
            c = width;
            size /= 2;
        }

        int hidden = (int)(256 * widthMultiplier);
        _classifier = RegisterModule("classifier", new Sequential(
            new Linear(c * size * size, hidden, rng, bias), new ReLU(),
            new Linear(hidden, hidden, rng, bias), new ReLU(),
            new Linear(hidden, classes, rng, bias)));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _classifier.Forward(_features.Forward(input).Flatten());
}
