using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Sparsity.Tests.LotteryTicket;

/// <summary>Tiny models and synthetic batches for fast IMP tests (no data files).</summary>
internal static class ImpFixture
{
    public const int Features = 16;

    /// <summary>LeNet-300-100 on 16 inputs: 35,800 weights, fc3 (1,000) is the output layer.</summary>
    public static Module LeNet(ulong seed) => new LeNet300100(new Rng(seed), inputFeatures: Features);

    /// <summary>Linear → BatchNorm1d → ReLU → Linear, to check that rewinding restores BN buffers.</summary>
    public static Module WithBatchNorm(ulong seed)
    {
        var rng = new Rng(seed);
        var model = new Sequential(new Linear(Features, 32, rng), new BatchNorm1d(32), new ReLU(), new Linear(32, 10, rng));
        model.NameTensors();
        return model;
    }

    /// <summary>
    /// <paramref name="steps"/> distinct batches per epoch of 8 random inputs; the batches of an epoch depend
    /// only on (epoch, position), as the trainer requires.
    /// </summary>
    public static LotteryTraining Training(Func<ulong, Module> create, int epochs = 2, int steps = 3, double lr = 0.05)
    {
        IEnumerable<LabeledBatch> Epoch(int epoch)
        {
            for (int i = 0; i < steps; i++)
            {
                var rng = new Rng((ulong)(1000 + epoch * 100 + i));
                var x = Tensor.Normal(rng, 0, 1, 8, Features);
                int[] y = Enumerable.Range(0, 8).Select(_ => rng.NextInt(10)).ToArray();
                yield return new LabeledBatch(x, y);
            }
        }

        var evalRng = new Rng(77);
        var evalX = Tensor.Normal(evalRng, 0, 1, 16, Features);
        int[] evalY = Enumerable.Range(0, 16).Select(_ => evalRng.NextInt(10)).ToArray();
        return new LotteryTraining(
            m => new Sgd(m.Parameters(), lr, momentum: 0.9),
            new TrainerOptions { Epochs = epochs },
            Epoch,
            steps,
            () => [new LabeledBatch(evalX, evalY)],
            create);
    }

    public static Dictionary<string, float[]> Copy(Module model) => model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
}
