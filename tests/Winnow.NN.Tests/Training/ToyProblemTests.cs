using Winnow.Kernels;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.Testing;

namespace Winnow.NN.Tests.Training;

[Collection("Parallelism")]
public sealed class ToyProblemTests
{
    // Two interleaved spirals: not linearly separable, so a working MLP must learn a non-linear boundary.
    private static (Tensor X, int[] Y) Spirals(int perClass, Rng rng)
    {
        var x = new Tensor(2 * perClass, 2);
        var y = new int[2 * perClass];
        for (int c = 0; c < 2; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                double r = 0.2 + 0.8 * i / perClass;
                double t = 2.2 * Math.PI * i / perClass + c * Math.PI + 0.05 * rng.NextGaussian();
                int row = c * perClass + i;
                x.Data[2 * row] = (float)(r * Math.Cos(t));
                x.Data[2 * row + 1] = (float)(r * Math.Sin(t));
                y[row] = c;
            }
        }

        return (x, y);
    }

    [Fact]
    public void SmallMlpLearnsTwoSpiralsToFullTrainingAccuracy()
    {
        var rng = new Rng(TestSeeds.Default);
        var (x, y) = Spirals(100, rng);
        var net = new Sequential(new Linear(2, 64, rng), new ReLU(), new Linear(64, 64, rng), new ReLU(), new Linear(64, 2, rng));
        var opt = new Adam(net.Parameters(), lr: 0.01);
        int correct = 0;
        for (int step = 0; step < 1500 && correct < 200; step++)
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            var logits = net.Forward(x);
            correct = Ops.CountCorrect(logits, y);
            Ops.CrossEntropy(logits, y).Backward();
            opt.Step();
        }

        Assert.Equal(200, correct);
    }

    [Fact]
    public void TrainingStepsAreBitIdenticalWithOneAndTwoThreads()
    {
        float[] Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var rng = new Rng(7);
                var model = new ConvNet(2, rng, inChannels: 1, inputSize: 12, widthMultiplier: 0.5);
                var bnNet = new Sequential(new Conv2d(1, 8, 3, rng, 1, 1), new BatchNorm2d(8), new ReLU());
                var opt = new Sgd(model.Parameters().Concat(bnNet.Parameters()), lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4);
                var input = Tensor.Normal(rng, 0f, 1f, 16, 1, 12, 12);
                int[] labels = Enumerable.Range(0, 16).Select(i => i % 10).ToArray();
                for (int step = 0; step < 3; step++)
                {
                    using var scope = TensorScope.Begin();
                    opt.ZeroGrad();
                    var h = bnNet.Forward(input);
                    var logits = model.Forward(Ops.Add(Ops.Scale(input, 0.5f), Ops.Mean(h).Item() == 0 ? input : input));
                    var loss = Ops.Add(Ops.CrossEntropy(logits, labels), Ops.Scale(Ops.Mean(Ops.Mul(h, h)), 0.1f));
                    loss.Backward();
                    opt.Step();
                }

                return model.Parameters().Concat(bnNet.Parameters()).SelectMany(p => p.ToArray()).ToArray();
            }
            finally
            {
                Parallelism.MaxThreads = saved;
            }
        }

        TensorAssert.BitIdentical(Run(1), Run(2), "parameters after 3 steps");
    }
}
