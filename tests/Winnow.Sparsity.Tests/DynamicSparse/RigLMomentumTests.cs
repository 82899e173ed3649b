using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.DynamicSparse;

namespace Winnow.Sparsity.Tests.DynamicSparse;

public sealed class RigLMomentumTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RigLZeroesTheMomentumOfNewlyGrownWeightsOnly(bool reset)
    {
        var model = DsFixture.Model();
        var ds = new DynamicSparsity(model, DynamicSparseOptions.RigL(0.1) with { UpdateEvery = 2, StopFraction = 1.0, MinPruneRate = 0.3, ResetNewMomentum = reset });
        var sgd = new Sgd(model.Parameters(), 0.05, momentum: 0.9);
        var trainer = new Trainer(model, sgd, new TrainerOptions { Epochs = 1 });
        var before = new Snapshot(ds);
        trainer.Hooks.Add(before);
        trainer.Hooks.Add(ds);
        trainer.Fit(e => DsFixture.Epoch(e, 2), 2);

        var update = Assert.Single(ds.Updates);
        Assert.True(update.Regrown > 0);
        int grown = 0, grownWithMomentum = 0;
        foreach (var t in ds.Masks.Targets)
        {
            var m = ds.Masks[t.Name].Data;
            var old = before.Masks[t.Name];
            var v = sgd.GetMomentumBuffer(t.Weight)!.Data;
            for (int i = 0; i < m.Length; i++)
            {
                if (old[i] == 0f && m[i] != 0f)
                {
                    grown++;
                    grownWithMomentum += v[i] != 0f ? 1 : 0;
                    Assert.True(t.Weight.Data[i] == 0f, $"{t.Name}[{i}] = {t.Weight.Data[i]}, momentum {v[i]}, step {update.Step}");
                }
            }
        }

        // Grown positions were picked for their large dense gradient, so their momentum is non-zero unless reset.
        Assert.True(grown > 0);
        Assert.Equal(reset ? 0 : grown, grownWithMomentum);
    }

    private sealed class Snapshot(DynamicSparsity ds) : ITrainingHook
    {
        public Dictionary<string, float[]> Masks { get; } = [];

        public void AfterStep(TrainingContext context)
        {
            foreach (var t in ds.Masks.Targets)
            {
                Masks[t.Name] = ds.Masks[t.Name].Data.ToArray();
            }
        }
    }
}
