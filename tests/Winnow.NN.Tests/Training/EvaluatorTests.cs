using Winnow.NN.Models;
using Winnow.NN.Training;

namespace Winnow.NN.Tests.Training;

/// <summary><see cref="Evaluator"/>: accuracy and loss over all batches, and the forward-only throughput that leaves out the warm-up batch.</summary>
public sealed class EvaluatorTests
{
    [Fact]
    public void CountsEveryBatch_AndTimesTheForwardOfAllButTheFirst()
    {
        var rng = new Rng(3);
        var model = new LeNet300100(rng, inputFeatures: 16);
        var batches = Enumerable.Range(0, 3).Select(b => new LabeledBatch(Tensor.Normal(rng, 0, 1, 5 + b, 16), Enumerable.Range(0, 5 + b).Select(i => i % 10).ToArray())).ToList();
        var r = Evaluator.Evaluate(model, batches);
        Assert.Equal(5 + 6 + 7, r.Samples);
        Assert.Equal(6 + 7, r.ForwardSamples);
        Assert.True(r.ForwardSeconds > 0 && r.ForwardSeconds <= r.Seconds, $"forward {r.ForwardSeconds} s of {r.Seconds} s");
        Assert.Equal(r.ForwardSamples / r.ForwardSeconds, r.ForwardImagesPerSecond, 6);

        long correct = 0;
        foreach (var b in batches)
        {
            using var scope = TensorScope.Begin();
            using var noGrad = Winnow.Autograd.GradMode.NoGrad();
            correct += Ops.CountCorrect(model.Forward(b.Images), b.Labels.Span);
        }

        Assert.Equal((double)correct / r.Samples, r.Accuracy, 12);

        var single = Evaluator.Evaluate(model, batches.Take(1));
        Assert.Equal(0, single.ForwardSamples);
        Assert.Equal(0, single.ForwardImagesPerSecond);
    }
}
