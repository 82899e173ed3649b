using Winnow.Autograd;
using Winnow.Testing;

namespace Winnow.Core.Tests.Operations;

/// <summary>
/// <see cref="Ops.SparseLinearChain"/>: the same bits as the per-layer sparse ops, frozen values
/// (<see cref="SparseWeight.FreezeValues"/>) used only while valid, and the refusals a caller sees.
/// </summary>
[Collection("Parallelism")]
public sealed class SparseLinearChainTests
{
    private static (Tensor W, Tensor B, SparseWeight Sparse) Layer(Rng rng, int outF, int inF, double density, bool bias = true)
    {
        var mask = new float[outF * inF];
        var w = Tensor.Normal(rng, 0f, 0.5f, outF, inF);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = rng.NextDouble() < density ? 1f : 0f;
            w.Data[i] *= mask[i];
        }

        return (w, bias ? Tensor.Normal(rng, 0f, 0.5f, outF) : null!, new SparseWeight(new SparsePattern(outF, inF, mask)));
    }

    private static (Tensor X, (Tensor W, Tensor B, SparseWeight Sparse)[] Layers) Net(ulong seed)
    {
        var rng = new Rng(seed);
        var x = Tensor.Normal(rng, 0f, 1f, 37, 50);
        return (x, [Layer(rng, 40, 50, 0.2), Layer(rng, 19, 40, 0.3, bias: false), Layer(rng, 9, 19, 0.5)]);
    }

    private static SparseLinearStage[] Stages((Tensor W, Tensor B, SparseWeight Sparse)[] layers, params bool[] relu) =>
        [.. layers.Select((l, i) => new SparseLinearStage(l.W, l.B, l.Sparse, relu[i]))];

    [Theory]
    [InlineData(true, true, false)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    public void Chain_EqualsThePerLayerOps_BitForBit(bool relu0, bool relu1, bool relu2)
    {
        var (x, layers) = Net(3);
        bool[] relu = [relu0, relu1, relu2];
        var h = x;
        for (int i = 0; i < layers.Length; i++)
        {
            h = Ops.Linear(h, layers[i].W, layers[i].B, layers[i].Sparse);
            h = relu[i] ? Ops.Relu(h) : h;
        }

        var y = Ops.SparseLinearChain(x, Stages(layers, relu));
        Assert.Equal(h.Shape, y.Shape);
        TensorAssert.BitIdentical(h.ToArray(), y.ToArray(), what: "chain vs Ops.Linear/Ops.Relu per layer");

        var dense = x;
        for (int i = 0; i < layers.Length; i++)
        {
            dense = Ops.Linear(dense, layers[i].W, layers[i].B);
            dense = relu[i] ? Ops.Relu(dense) : dense;
        }

        TensorAssert.Close(dense.ToArray(), y.ToArray(), atol: 1e-4f, rtol: 1e-4f, what: "chain vs the dense ops");
    }

    [Fact]
    public void FrozenValues_AreUsedUntilThawedOrThePatternChanges()
    {
        var (x, layers) = Net(4);
        var stages = Stages(layers, true, true, false);
        var before = Ops.SparseLinearChain(x, stages).ToArray();
        layers[0].Sparse.FreezeValues(layers[0].W);
        Assert.True(layers[0].Sparse.ValuesFrozen);

        // A frozen layer does not see a changed weight: that is the contract (and the gather it saves).
        var kept = layers[0].Sparse.Pattern;
        int pos = Enumerable.Range(0, kept.Rows).First(r => kept.RowPtr[r + 1] > kept.RowPtr[r]);
        int col = kept.ColIdx[kept.RowPtr[pos]];
        layers[0].W.Data[pos * kept.Cols + col] += 3f;
        TensorAssert.BitIdentical(before, Ops.SparseLinearChain(x, stages).ToArray(), what: "frozen forward");

        layers[0].Sparse.ThawValues();
        Assert.False(layers[0].Sparse.ValuesFrozen);
        var changed = Ops.SparseLinearChain(x, stages).ToArray();
        Assert.NotEqual(before, changed);

        // A rebuilt pattern ends the freeze by itself.
        layers[0].Sparse.FreezeValues(layers[0].W);
        kept.Rebuild(layers[0].W.Data);
        Assert.False(layers[0].Sparse.ValuesFrozen);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(37)]
    [InlineData(64)]
    public void FrozenChain_SplitIntoBatchPanels_GivesThePerLayerBits_OnOneAndTwoThreads(int batch)
    {
        // Frozen values and two threads run the chain in batch panels (one per thread); big enough to split.
        var rng = new Rng(7);
        var x = Tensor.Normal(rng, 0f, 1f, batch, 784);
        (Tensor W, Tensor B, SparseWeight Sparse)[] layers = [Layer(rng, 300, 784, 0.05), Layer(rng, 100, 300, 0.05), Layer(rng, 10, 100, 0.1)];
        var stages = Stages(layers, true, true, false);
        var h = x;
        for (int i = 0; i < layers.Length; i++)
        {
            h = Ops.Linear(h, layers[i].W, layers[i].B, layers[i].Sparse);
            h = i < 2 ? Ops.Relu(h) : h;
        }

        foreach (var l in layers)
        {
            l.Sparse.FreezeValues(l.W);
        }

        int saved = Parallelism.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                TensorAssert.BitIdentical(h.ToArray(), Ops.SparseLinearChain(x, stages).ToArray(), what: $"frozen chain, {threads} thread(s)");
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void RecordingGradients_IsRefusedWithWhatToDo()
    {
        var (x, layers) = Net(5);
        layers[1].W.RequireGrad();
        var ex = Assert.Throws<InvalidOperationException>(() => Ops.SparseLinearChain(x, Stages(layers, true, true, false)));
        Assert.Contains("inference only", ex.Message);
        Assert.Contains("GradMode.NoGrad()", ex.Message);

        using (GradMode.NoGrad())
        {
            var y = Ops.SparseLinearChain(x, Stages(layers, true, true, false));
            Assert.False(y.RequiresGrad);
        }
    }

    [Fact]
    public void ShapesThatDoNotChain_AreRefusedWithTheStage()
    {
        var (x, layers) = Net(6);
        var ex = Assert.Throws<ArgumentException>(() => Ops.SparseLinearChain(x, Stages([layers[0], layers[2]], false, false)));
        Assert.Contains("stage 1", ex.Message);
        Assert.Contains("receives 40 features", ex.Message);

        var wrongPattern = new SparseLinearStage(layers[0].W, layers[0].B, layers[1].Sparse, false);
        ex = Assert.Throws<ArgumentException>(() => Ops.SparseLinearChain(x, [wrongPattern]));
        Assert.Contains("sparse pattern of stage 0 is (19, 40)", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => Ops.SparseLinearChain(x, ReadOnlySpan<SparseLinearStage>.Empty));
        Assert.Contains("no stages", ex.Message);
    }
}
