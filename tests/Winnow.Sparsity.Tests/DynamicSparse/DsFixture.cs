using Winnow.NN;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.DynamicSparse;

namespace Winnow.Sparsity.Tests.DynamicSparse;

/// <summary>Small LeNet-300-100 on 16 random features, trained a few steps with a dynamic-sparsity hook.</summary>
internal static class DsFixture
{
    public const int Features = 16;

    public static Module Model(ulong seed = 1) => new LeNet300100(new Rng(seed), inputFeatures: Features);

    public static IEnumerable<LabeledBatch> Epoch(int epoch, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            var rng = new Rng((ulong)(1000 + epoch * 100 + i));
            var x = Tensor.Normal(rng, 0, 1, 8, Features);
            int[] y = Enumerable.Range(0, 8).Select(_ => rng.NextInt(10)).ToArray();
            yield return new LabeledBatch(x, y);
        }
    }

    /// <summary>Trains with <paramref name="options"/>; an extra hook runs after the dynamic-sparsity hook.</summary>
    public static DynamicSparsity Train(DynamicSparseOptions options, int epochs, int steps, bool adam = false, Func<DynamicSparsity, ITrainingHook>? after = null)
    {
        var model = Model();
        var ds = new DynamicSparsity(model, options);
        Optimizer opt = adam ? new Adam(model.Parameters(), 1e-3) : new Sgd(model.Parameters(), 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4);
        var trainer = new Trainer(model, opt, new TrainerOptions { Epochs = epochs });
        trainer.Hooks.Add(ds);
        if (after is not null)
        {
            trainer.Hooks.Add(after(ds));
        }

        trainer.Fit(e => Epoch(e, steps), steps);
        return ds;
    }
}
