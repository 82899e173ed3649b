using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.DynamicSparse;
using Winnow.Sparsity.Execution;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Tests.DynamicSparse;
using Winnow.Testing;

namespace Winnow.Sparsity.Tests.Execution;

/// <summary>
/// Training on the sparse kernels equals training on the dense kernels with the same seed, up to
/// floating-point summation order: static masks (both gradient modes), Sparse Momentum (exact mode)
/// and RigL (fast mode: dense gradient only at its update steps), on an MLP and a small conv net.
/// </summary>
public sealed class SparseExecutionTests
{
    private static Dictionary<string, float[]> Weights(Module model) =>
        model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Data.ToArray());

    private static void AssertSameTraining(Dictionary<string, float[]> dense, Dictionary<string, float[]> sparse)
    {
        foreach (var (name, w) in dense)
        {
            TensorAssert.Close(w, sparse[name], atol: 2e-5f, rtol: 1e-3f, what: name);
        }
    }

    private static Module ConvNet(ulong seed)
    {
        var rng = new Rng(seed);
        return new Sequential(new Conv2d(2, 8, 3, rng, padding: 1), new ReLU(), new Conv2d(8, 6, 3, rng, stride: 2), new ReLU(), new Flatten(), new Linear(6 * 4 * 4, 10, rng));
    }

    private static IEnumerable<LabeledBatch> Images(int epoch, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            var rng = new Rng((ulong)(500 + epoch * 100 + i));
            yield return new LabeledBatch(Tensor.Normal(rng, 0, 1, 5, 2, 10, 10), Enumerable.Range(0, 5).Select(_ => rng.NextInt(10)).ToArray());
        }
    }

    /// <summary>Static random mask at 30% (the conv net: first conv on the sparse kernel, the strided one falls back to dense), hard-mask hook, SGD with momentum and weight decay; optionally on the sparse kernels.</summary>
    private static (Dictionary<string, float[]> Weights, SparseExecution? Exec) TrainStatic(bool conv, SparseKernelMode? mode, DenseGradientMode grad)
    {
        var model = conv ? ConvNet(3) : DsFixture.Model(3);
        var masks = new MaskSet(model);
        var rng = new Rng(9);
        foreach (var t in masks.Targets)
        {
            masks.Set(t.Name, Enumerable.Range(0, t.Count).Select(_ => rng.NextDouble() < 0.3 ? 1f : 0f).ToArray());
        }

        var trainer = new Trainer(model, new Sgd(model.Parameters(), 0.05, momentum: 0.9, weightDecay: 5e-4), new TrainerOptions { Epochs = 2 });
        trainer.Hooks.Add(new HardMaskHook(masks));
        SparseExecution? exec = mode is { } m ? new SparseExecution(masks, m, grad) : null;
        if (exec is not null)
        {
            trainer.Hooks.Add(exec);
        }

        trainer.Fit(e => conv ? Images(e, 4) : DsFixture.Epoch(e, 4), 4);
        return (Weights(model), exec);
    }

    [Theory]
    [InlineData(false, DenseGradientMode.Exact)]
    [InlineData(false, DenseGradientMode.Fast)]
    [InlineData(true, DenseGradientMode.Exact)]
    [InlineData(true, DenseGradientMode.Fast)]
    public void StaticMask_SparseKernels_TrainLikeDense(bool conv, DenseGradientMode grad)
    {
        var (dense, _) = TrainStatic(conv, null, grad);
        var (sparse, exec) = TrainStatic(conv, SparseKernelMode.On, grad);
        Assert.All(exec!.Choices, c => Assert.True(c.Sparse, $"{c.Name} should run sparse"));
        AssertSameTraining(dense, sparse);
    }

    [Theory]
    [InlineData("sm", DenseGradientMode.Exact)]
    [InlineData("rigl", DenseGradientMode.Fast)]
    public void DynamicSparsity_SparseKernels_TrainLikeDense(string method, DenseGradientMode grad)
    {
        var options = DynamicSparseOptions.ForMethod(method, 0.3) with { UpdateEvery = method == "rigl" ? 3 : 0 };
        Dictionary<string, float[]> Run(bool sparse)
        {
            Module? model = null;
            var ds = DsFixture.Train(options, epochs: 3, steps: 4, after: d =>
            {
                model = d.Masks.Model;
                return sparse ? new SparseExecution(d.Masks, SparseKernelMode.On, grad, options) : new NoHook();
            });
            Assert.NotEmpty(ds.Updates);
            return Weights(model!);
        }

        AssertSameTraining(Run(sparse: false), Run(sparse: true));
    }

    [Fact]
    public void FastMode_DenseGradientOnlyBeforeGradientReadingUpdates()
    {
        var model = DsFixture.Model();
        var masks = new MaskSet(model);
        var sm = new SparseExecution(masks, SparseKernelMode.On, DenseGradientMode.Fast, DynamicSparseOptions.SparseMomentum());
        Assert.Equal([4L, 9L], Enumerable.Range(0, 15).Select(i => (long)i).Where(s => sm.NeedsDenseGradient(s, 3, 5)));
        var set = new SparseExecution(masks, SparseKernelMode.On, DenseGradientMode.Fast, DynamicSparseOptions.Set());
        Assert.DoesNotContain(Enumerable.Range(0, 15), s => set.NeedsDenseGradient(s, 3, 5));
        var exact = new SparseExecution(masks, SparseKernelMode.On, DenseGradientMode.Exact, DynamicSparseOptions.Set());
        Assert.All(Enumerable.Range(0, 15), s => Assert.True(exact.NeedsDenseGradient(s, 3, 5)));
    }

    [Fact]
    public void AutoPolicy_KeepsDenseOrTinyLayersDense()
    {
        var policy = new SparseExecutionPolicy();
        Assert.True(policy.UseSparse(SparseKernelMode.Auto, 235_200, 0.05));
        Assert.False(policy.UseSparse(SparseKernelMode.Auto, 235_200, 0.9));
        Assert.False(policy.UseSparse(SparseKernelMode.Auto, 500, 0.05));
        Assert.True(policy.UseSparse(SparseKernelMode.On, 500, 0.9));
        Assert.False(policy.UseSparse(SparseKernelMode.Off, 235_200, 0.05));
    }

    [Fact]
    public void AutoPolicy_SmallConvRunsSparse_SameSizedLinearStaysDense()
    {
        // LeNet-5-Caffe's first conv has 500 weights, each used at 24×24 output pixels.
        var policy = new SparseExecutionPolicy();
        Assert.True(policy.UseSparse(SparseKernelMode.Auto, 500, 0.05, isConv: true));
        Assert.False(policy.UseSparse(SparseKernelMode.Auto, 500, 0.05, isConv: false));
        Assert.False(policy.UseSparse(SparseKernelMode.Auto, 100, 0.05, isConv: true));
        Assert.False(policy.UseSparse(SparseKernelMode.Auto, 500, 0.5, isConv: true));
    }

    [Fact]
    public void TinySparseLinear_StaysDenseAlone_ButMayContinueAChain()
    {
        var policy = new SparseExecutionPolicy();
        Assert.True(policy.UseSparseInChain(SparseKernelMode.Auto, 0.05));
        Assert.False(policy.UseSparseInChain(SparseKernelMode.Auto, 0.5));
        Assert.False(policy.UseSparseInChain(SparseKernelMode.Off, 0.05));
        Assert.True(policy.UseSparseInChain(SparseKernelMode.On, 0.9));

        // LeNet-300-100 at 10%: fc1 and fc2 run sparse; fc3 (1,000 weights) is dense alone and sparse in the chain.
        var model = new LeNet300100(new Rng(5));
        var rng = new Rng(6);
        foreach (var p in model.Parameters().Where(p => p.Rank == 2))
        {
            for (int i = 0; i < p.Length; i++)
            {
                p.Data[i] = rng.NextDouble() < 0.1 ? p.Data[i] : 0f;
            }
        }

        var report = SparseInference.Attach(model);
        Assert.Equal([true, true, false], report.Select(r => r.Sparse));
        var linears = model.NamedModules().Select(kv => kv.Value).OfType<Linear>().ToArray();
        Assert.All(linears, l => Assert.NotNull(l.Sparse));
        Assert.Equal([true, true, false], linears.Select(l => l.Sparse!.Enabled));
        Assert.All(linears, l => Assert.True(l.Sparse!.InChains));
    }

    private sealed class NoHook : ITrainingHook
    {
    }
}
