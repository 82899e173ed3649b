using Winnow.NN;
using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.DynamicSparse;
using Winnow.Sparsity.Execution;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Tests.DynamicSparse;

namespace Winnow.Sparsity.Tests.Execution;

/// <summary>
/// With sparse execution, the optimizer steps only kept weights when no one reads the state of pruned
/// weights; same-seed runs with and without that kept step end with bit-identical weights.
/// </summary>
public sealed class KeptStepTrainingTests
{
    private static Dictionary<string, float[]> Weights(Module model) =>
        model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Data.ToArray());

    private static (Dictionary<string, float[]> Weights, bool Active) TrainStatic(bool keptStep, DenseGradientMode grad, bool adam)
    {
        var model = DsFixture.Model(3);
        var masks = new MaskSet(model);
        var rng = new Rng(9);
        foreach (var t in masks.Targets)
        {
            masks.Set(t.Name, Enumerable.Range(0, t.Count).Select(_ => rng.NextDouble() < 0.3 ? 1f : 0f).ToArray());
        }

        Optimizer opt = adam ? new Adam(model.Parameters(), 1e-2, weightDecay: 1e-4) : new Sgd(model.Parameters(), 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4);
        var trainer = new Trainer(model, opt, new TrainerOptions { Epochs = 2 });
        trainer.Hooks.Add(new HardMaskHook(masks));
        var exec = new SparseExecution(masks, SparseKernelMode.On, grad) { KeptStep = keptStep };
        trainer.Hooks.Add(exec);
        trainer.Fit(e => DsFixture.Epoch(e, 4), 4);
        return (Weights(model), exec.KeptStepActive);
    }

    [Theory]
    [InlineData(DenseGradientMode.Fast, false)]
    [InlineData(DenseGradientMode.Exact, false)]
    [InlineData(DenseGradientMode.Fast, true)]
    public void StaticMask_KeptStep_TrainsBitIdentically(DenseGradientMode grad, bool adam)
    {
        var (dense, denseActive) = TrainStatic(keptStep: false, grad, adam);
        var (kept, keptActive) = TrainStatic(keptStep: true, grad, adam);
        Assert.False(denseActive);
        Assert.True(keptActive);
        foreach (var (name, w) in dense)
        {
            Assert.True(w.AsSpan().SequenceEqual(kept[name]), $"{name} differs between the dense and the kept optimizer step");
        }
    }

    /// <summary>Three epochs of 4 steps of dynamic sparsity on the sparse kernels, with or without the kept step/write.</summary>
    private static (Dictionary<string, float[]> Weights, SparseExecution Exec, DynamicSparsity Ds) TrainDynamic(DynamicSparseOptions options, DenseGradientMode grad, bool keptStep)
    {
        SparseExecution? exec = null;
        var ds = DsFixture.Train(options, epochs: 3, steps: 4, after: d => exec = new SparseExecution(d.Masks, SparseKernelMode.On, grad, options) { KeptStep = keptStep });
        Assert.NotEmpty(ds.Updates);
        return (Weights(ds.Masks.Model), exec!, ds);
    }

    [Theory]
    [InlineData(DenseGradientMode.Fast)]
    [InlineData(DenseGradientMode.Exact)]
    public void RigL_KeptStep_TrainsBitIdentically(DenseGradientMode grad)
    {
        var options = DynamicSparseOptions.RigL(0.3) with { UpdateEvery = 3 };
        var (dense, denseExec, _) = TrainDynamic(options, grad, keptStep: false);
        var (kept, keptExec, _) = TrainDynamic(options, grad, keptStep: true);
        Assert.False(denseExec.KeptStepActive);
        Assert.True(keptExec.KeptStepActive);
        foreach (var (name, w) in dense)
        {
            Assert.True(w.AsSpan().SequenceEqual(kept[name]), $"{name} differs between the dense and the kept optimizer step");
        }
    }

    [Theory]
    [InlineData("sm", DenseGradientMode.Fast)]
    [InlineData("sm", DenseGradientMode.Exact)]
    [InlineData("set", DenseGradientMode.Fast)]
    public void MethodsReadingPrunedMomentum_KeptWrite_TrainsBitIdentically(string method, DenseGradientMode grad)
    {
        // Sparse Momentum and SET read the momentum of pruned weights, so the optimizer keeps its dense state
        // update and only the weight write is restricted to kept positions (no re-mask needed).
        var options = (method == "sm" ? DynamicSparseOptions.SparseMomentum(0.3) : DynamicSparseOptions.Set(0.3)) with { UpdateEvery = 3 };
        var (dense, denseExec, denseDs) = TrainDynamic(options, grad, keptStep: false);
        var (kept, keptExec, keptDs) = TrainDynamic(options, grad, keptStep: true);
        Assert.False(denseExec.KeptStepActive || denseExec.KeptWriteActive || keptExec.KeptStepActive);
        Assert.True(keptExec.KeptWriteActive);
        Assert.Equal(0, denseDs.Masks.ApplyAfterStep());
        Assert.True(keptDs.Masks.ApplyAfterStep() > 0, "the re-mask after a kept write should be skipped for the sparse layers");
        foreach (var (name, w) in dense)
        {
            Assert.True(w.AsSpan().SequenceEqual(kept[name]), $"{name} differs between the dense step + re-mask and the kept write");
        }
    }

    [Fact]
    public void KeptStep_SkipsTheMaskReApply_AndPrunedWeightsStayExactlyZero()
    {
        var model = DsFixture.Model(3);
        var masks = new MaskSet(model);
        var rng = new Rng(5);
        foreach (var t in masks.Targets)
        {
            masks.Set(t.Name, Enumerable.Range(0, t.Count).Select(_ => rng.NextDouble() < 0.3 ? 1f : 0f).ToArray());
        }

        // Weight decay and momentum would revive every pruned weight if the step touched it.
        var opt = new Sgd(model.Parameters(), 0.05, momentum: 0.9, weightDecay: 5e-4);
        var exec = new SparseExecution(masks, SparseKernelMode.On, DenseGradientMode.Fast);
        exec.Attach();
        exec.UseOptimizer(opt);
        Assert.True(exec.KeptStepActive);
        int sparseLayers = exec.Choices.Count(c => c.Sparse);
        Assert.True(sparseLayers > 0);

        void AssertPrunedZero()
        {
            foreach (var t in masks.Targets)
            {
                var m = masks[t.Name].Data;
                for (int j = 0; j < m.Length; j++)
                {
                    Assert.True(m[j] != 0f || t.Weight.Data[j] == 0f, $"{t.Name}[{j}] is pruned but {t.Weight.Data[j]}");
                }
            }
        }

        int Step()
        {
            var batch = DsFixture.Epoch(0, 1).First();
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            Ops.CrossEntropy(model.Forward(batch.Images), batch.Labels.ToArray()).Backward();
            opt.Step();
            return masks.ApplyAfterStep();
        }

        // No full Apply since the masks were set: the first re-apply is a full one.
        Assert.Equal(0, Step());
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(sparseLayers, Step());
            AssertPrunedZero();
        }

        // A changed mask (even written in place) is re-applied in full until the patterns are rebuilt from it.
        var first = masks.Targets[0];
        masks[first.Name].Data[..(first.Count / 2)].Clear();
        masks.MarkChanged();
        masks.Apply();
        Assert.Equal(0, Step());
        AssertPrunedZero();
        exec.Attach();
        Assert.Equal(sparseLayers, Step());
        AssertPrunedZero();

        // Without sparse execution every weight is re-masked.
        exec.Detach();
        Assert.Equal(0, Step());
        AssertPrunedZero();
    }

    [Fact]
    public void MethodsReadingPrunedMomentum_KeepTheDenseStep()
    {
        Assert.True(SparseExecution.PrunedStateUnread(null));
        Assert.True(SparseExecution.PrunedStateUnread(DynamicSparseOptions.RigL()));
        Assert.False(SparseExecution.PrunedStateUnread(DynamicSparseOptions.SparseMomentum()));
        Assert.False(SparseExecution.PrunedStateUnread(DynamicSparseOptions.SparseMomentum() with { ResetNewMomentum = true }));
        Assert.False(SparseExecution.PrunedStateUnread(DynamicSparseOptions.Set()));
        Assert.True(SparseExecution.PrunedStateUnread(DynamicSparseOptions.Set() with { ResetNewMomentum = true }));
    }
}
