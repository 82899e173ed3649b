using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// Conv-2/4/6/8: the weight-trained convolutional networks of Frankle &amp; Carbin 2019 ("The Lottery
/// Ticket Hypothesis", Conv-2/4/6) and of Ramanujan et al. 2020 (edge-popup, Conv-8); ALGORITHMS.md
/// §3.10. Pairs of Conv(3×3, stride 1, padding 1) → ReLU, each pair followed by MaxPool 2×2, widths
/// 64, 128, 256, 512 per pair (times <c>widthMultiplier</c>); then flatten → Linear(→256) → ReLU →
/// Linear(256→256) → ReLU → Linear(256→classes). The classifier's input size adapts to the input:
/// (width of the last pair)·(S/2^pairs)², e.g. 16,384 for Conv-2 on 32×32. Biases on by default
/// (the weight-trained form; edge-popup/biprop's score-masked Conv-N is the bias-free
/// <c>bias: false</c> form with the same weight counts: Conv-2 4,300,992, Conv-4 2,425,024,
/// Conv-6 2,261,184, Conv-8 5,275,840 on 3×32×32). PyTorch default init. No dropout.
/// Names: <c>features.{i}</c> (conv i, ReLU i+1, …), <c>classifier.{0,2,4}</c>.
/// </summary>
public sealed class ConvNet : Module
{
    private readonly Sequential _features;
    private readonly Sequential _classifier;

    /// <summary>Creates Conv-<paramref name="depth"/> for inputs (inChannels, inputSize, inputSize).</summary>
    /// <exception cref="ArgumentOutOfRangeException">depth is not 2, 4, 6 or 8, or the input is too small
    /// for depth/2 halvings.</exception>
    public ConvNet(int depth, Rng rng, int inChannels = 1, int inputSize = 28, int classes = 10, double widthMultiplier = 1.0, bool bias = true)
    {
        if (depth is not (2 or 4 or 6 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "Conv-N depth must be 2, 4, 6 or 8.");
        }

        int pairs = depth / 2;
        if (inputSize >> pairs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize,
                $"Conv-{depth} halves the map {pairs} times (2×2 max-pools) and needs a square input of at least {1 << pairs}×{1 << pairs}; got {inChannels}×{inputSize}×{inputSize}.");
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
