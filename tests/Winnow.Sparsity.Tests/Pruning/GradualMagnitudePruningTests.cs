using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.Execution;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;

namespace Winnow.Sparsity.Tests.Pruning;

public sealed class GradualMagnitudePruningTests
{
    [Fact]
    public void ScheduleIsZhuAndGuptasCubic()
    {
        var masks = new MaskSet(new LeNet300100(new Rng(1), inputFeatures: 4));
        var gmp = new GradualMagnitudePruning(masks, 0.1, 0.9, beginStep: 100, endStep: 300, frequency: 50);
        Assert.Equal(0.1, gmp.SparsityAt(0), 12); // before t0: s_i (nothing is pruned yet)
        Assert.Equal(0.1, gmp.SparsityAt(100), 12);
        Assert.Equal(0.9 - (0.8 * 0.125), gmp.SparsityAt(200), 12); // s_f + (s_i − s_f)(1 − ½)³ = 0.8
        Assert.Equal(0.9 - (0.8 * 0.421875), gmp.SparsityAt(150), 12); // (1 − ¼)³ = 0.421875
        Assert.Equal(0.9, gmp.SparsityAt(300), 12);
        Assert.Equal(0.9, gmp.SparsityAt(10_000), 12);
        Assert.Equal([100L, 150, 200, 250, 300], Enumerable.Range(0, 400).Where(t => gmp.IsPruningStep(t)).Select(t => (long)t).ToArray());

        var uneven = new GradualMagnitudePruning(masks, 0, 0.5, 0, 10, 4);
        Assert.Equal([0L, 4, 8], Enumerable.Range(0, 20).Where(t => uneven.IsPruningStep(t)).Select(t => (long)t).ToArray());
        var atEnd = new GradualMagnitudePruning(masks, 0, 0.5, 0, 10, 4) { PruneAtEnd = true };
        Assert.Equal([0L, 4, 8, 10], Enumerable.Range(0, 20).Where(t => atEnd.IsPruningStep(t)).Select(t => (long)t).ToArray());

        var rigl = GradualMagnitudePruning.RigLMnist(masks);
        Assert.Equal((2_000L, 30_000L, 500, 0.0, 0.98), (rigl.BeginStep, rigl.EndStep, rigl.Frequency, rigl.InitialSparsity, rigl.FinalSparsity));
        Assert.IsType<UniformDistribution>(rigl.Distribution);
    }

    [Fact]
    public void ShortTrainingRunEndsAtTheFinalSparsityWithPrunedWeightsExactlyZero()
    {
        var rng = new Rng(21);
        var model = new LeNet300100(rng, inputFeatures: 16);
        var masks = new MaskSet(model);
        // Prunes after steps 0, 2, 4 (s = 0.7·(1 − (1 − t/4)³): 0, 0.6125, 0.7); 6 steps in all.
        var gmp = new GradualMagnitudePruning(masks, 0, 0.7, beginStep: 0, endStep: 4, frequency: 2);
        var opt = new Sgd(model.Parameters(), lr: 0.05, momentum: 0.9, weightDecay: 5e-4);
        var trainer = new Trainer(model, opt, new TrainerOptions { Epochs = 2 });
        trainer.Hooks.Add(gmp);
        var densities = new List<double>();
        trainer.StepCompleted += _ => densities.Add(masks.Density);
        var x = Tensor.Normal(rng, 0, 1, 16, 16);
        int[] y = Enumerable.Range(0, 16).Select(i => i % 10).ToArray();
        trainer.Fit(_ => [new LabeledBatch(x, y), new LabeledBatch(x, y), new LabeledBatch(x, y)], 3);

        Assert.Equal(4L, gmp.LastPruneStep);
        // Uniform round(0.3·n): fc1 4,800 → 1,440, fc2 30,000 → 9,000, fc3 1,000 → 300.
        Assert.Equal([1_440, 9_000, 300], gmp.LastReport!.Layers.Select(l => l.Kept).ToArray());
        Assert.Equal(0.3, masks.Density, 12);
        Assert.Equal(1.0, densities[0]); // s(0) = 0
        Assert.True(densities[2] < densities[1] && densities[4] < densities[3]);
        Assert.Equal(densities[4], densities[5]);
        foreach (var t in masks.Targets)
        {
            var m = masks[t.Name].Data;
            var w = t.Weight.Data;
            for (int j = 0; j < w.Length; j++)
            {
                if (m[j] == 0f)
                {
                    Assert.Equal(0f, w[j]);
                }
            }
        }
    }

    [Fact]
    public void WithSparseExecution_KeptStepTrainsBitIdentically_AndPrunedWeightsStayZeroAfterEveryStep()
    {
        (float[][] Weights, int ZeroChecks, bool Kept) Run(bool keptStep)
        {
            var rng = new Rng(23);
            var model = new LeNet300100(rng, inputFeatures: 16);
            var masks = new MaskSet(model);
            var gmp = new GradualMagnitudePruning(masks, 0, 0.8, beginStep: 0, endStep: 6, frequency: 3);
            var opt = new Sgd(model.Parameters(), lr: 0.05, momentum: 0.9, weightDecay: 5e-4);
            var trainer = new Trainer(model, opt, new TrainerOptions { Epochs = 3 });
            var exec = new SparseExecution(masks, SparseKernelMode.On, DenseGradientMode.Fast) { KeptStep = keptStep };
            trainer.Hooks.Add(gmp);
            trainer.Hooks.Add(exec);
            int checks = 0;
            trainer.StepCompleted += _ =>
            {
                foreach (var t in masks.Targets)
                {
                    var m = masks[t.Name].Data;
                    var w = t.Weight.Data;
                    for (int j = 0; j < w.Length; j++)
                    {
                        Assert.True(m[j] != 0f || w[j] == 0f, $"{t.Name}[{j}] is pruned but {w[j]}");
                    }
                }

                checks++;
            };
            var x = Tensor.Normal(rng, 0, 1, 16, 16);
            int[] y = Enumerable.Range(0, 16).Select(i => i % 10).ToArray();
            trainer.Fit(_ => [new LabeledBatch(x, y), new LabeledBatch(x, y), new LabeledBatch(x, y)], 3);
            return (model.Parameters().Select(p => p.Data.ToArray()).ToArray(), checks, exec.KeptStepActive);
        }

        var dense = Run(keptStep: false);
        var kept = Run(keptStep: true);
        Assert.True(kept.Kept);
        Assert.Equal(9, kept.ZeroChecks);
        for (int i = 0; i < dense.Weights.Length; i++)
        {
            Assert.True(dense.Weights[i].AsSpan().SequenceEqual(kept.Weights[i]), $"parameter {i} differs between the dense and the kept optimizer step");
        }
    }

    [Fact]
    public void GlobalOptionPrunesOverAllLayersAtOnce()
    {
        var masks = new MaskSet(new LeNet300100(new Rng(1), inputFeatures: 16));
        var gmp = new GradualMagnitudePruning(masks, 0.5, 0.5, 0, 1, 1, new GlobalDistribution());
        var model = masks.Model;
        var trainer = new Trainer(model, new Sgd(model.Parameters(), lr: 0), new TrainerOptions());
        trainer.Hooks.Add(gmp);
        var x = new Tensor(2, 16);
        trainer.Fit(_ => [new LabeledBatch(x, new[] { 0, 1 })], 1);
        Assert.Equal(17_900, gmp.LastReport!.Kept); // round(0.5·35,800), split by one global threshold
    }
}
