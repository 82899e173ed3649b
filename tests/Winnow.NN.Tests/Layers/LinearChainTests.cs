using Winnow.Autograd;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.NN.Training;
using Winnow.Testing;

namespace Winnow.NN.Tests.Layers;

/// <summary>
/// <see cref="LinearChain"/> (used by <see cref="Sequential"/> and <see cref="LeNet300100"/>): which
/// layers it fuses, that fused inference gives the per-layer bits, that training is untouched, and the
/// frozen-values session <see cref="FrozenSparseValues"/> that <see cref="Evaluator"/> opens.
/// </summary>
[Collection("Parallelism")]
public sealed class LinearChainTests
{
    /// <summary>Masks the layer's weight to <paramref name="density"/> and attaches its pattern.</summary>
    private static SparseWeight Sparsify(Linear layer, Rng rng, double density, bool enabled = true, bool inChains = false)
    {
        var w = layer.Weight;
        var mask = new float[w.Length];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = rng.NextDouble() < density ? 1f : 0f;
            w.Data[i] *= mask[i];
        }

        layer.Sparse = new SparseWeight(new SparsePattern(w.Dim(0), w.Dim(1), mask)) { Enabled = enabled, InChains = inChains };
        return layer.Sparse;
    }

    /// <summary>Layer by layer through the plain ops (the reference the fused path must equal).</summary>
    private static float[] PerLayer(Tensor x, Linear[] layers, bool[] reluAfter)
    {
        using var noGrad = GradMode.NoGrad();
        var h = x;
        for (int i = 0; i < layers.Length; i++)
        {
            h = Ops.Linear(h, layers[i].Weight, layers[i].Bias, layers[i].Sparse);
            h = reluAfter[i] ? Ops.Relu(h) : h;
        }

        return h.ToArray();
    }

    [Fact]
    public void SequentialInference_GivesThePerLayerBits_AndTrainingStillBackpropagates()
    {
        var rng = new Rng(21);
        var l1 = new Linear(30, 24, rng);
        var l2 = new Linear(24, 16, rng);
        var l3 = new Linear(16, 5, rng);
        Sparsify(l1, rng, 0.3);
        Sparsify(l2, rng, 0.3);
        Sparsify(l3, rng, 0.3);
        var model = new Sequential(l1, new ReLU(), l2, new ReLU(), l3);
        var x = Tensor.Normal(rng, 0f, 1f, 11, 30);
        float[] expected = PerLayer(x, [l1, l2, l3], [true, true, false]);
        using (GradMode.NoGrad())
        {
            TensorAssert.BitIdentical(expected, model.Forward(x).ToArray(), what: "fused Sequential");
        }

        // With gradients recorded the layers run one by one and the graph is intact.
        var y = model.Forward(x);
        TensorAssert.BitIdentical(expected, y.ToArray(), what: "training-mode forward");
        Ops.Sum(y).Backward();
        Assert.NotNull(l1.Weight.Grad);
        Assert.Contains(l1.Weight.Grad!.ToArray(), g => g != 0f);
    }

    [Fact]
    public void OtherLayersBetween_BreakTheChain_AndStillRun()
    {
        var rng = new Rng(22);
        var l1 = new Linear(12, 10, rng);
        var l2 = new Linear(10, 8, rng);
        Sparsify(l1, rng, 0.4);
        Sparsify(l2, rng, 0.4);
        var model = new Sequential(l1, new Dropout(0.5f, rng), new ReLU(), l2);
        model.Eval();
        var x = Tensor.Normal(rng, 0f, 1f, 6, 12);
        using var noGrad = GradMode.NoGrad();
        TensorAssert.BitIdentical(PerLayer(x, [l1, l2], [true, false]), model.Forward(x).ToArray(), what: "Linear, Dropout (eval), ReLU, Linear");
    }

    [Fact]
    public void ALayerLeftDenseForItsSize_RunsSparseOnlyWhenItContinuesAChain()
    {
        // Observed through frozen values: a layer that ran sparse uses its frozen (stale) values, a dense one the new weight.
        var rng = new Rng(23);
        var l1 = new Linear(20, 16, rng);
        var l2 = new Linear(16, 6, rng);
        Sparsify(l1, rng, 0.3);
        var s2 = Sparsify(l2, rng, 0.5, enabled: false, inChains: true);
        var x = Tensor.Normal(rng, 0f, 1f, 9, 20);
        var chained = new Sequential(l1, new ReLU(), l2);
        var alone = new Sequential(new ReLU(), l2);
        using var noGrad = GradMode.NoGrad();
        float[] chainedBefore = chained.Forward(x).ToArray();
        var h = Ops.Relu(l1.Forward(x));
        float[] aloneBefore = alone.Forward(h).ToArray();
        TensorAssert.Close(PerLayer(x, [l1, l2], [true, false]), chainedBefore, atol: 1e-5f, rtol: 1e-5f, what: "chain with a sparse tail");

        using (FrozenSparseValues.Freeze(chained))
        {
            Assert.True(s2.ValuesFrozen);
            int kept = Array.FindIndex(l2.Weight.Data.ToArray(), v => v != 0f);
            l2.Weight.Data[kept] += 1f;
            TensorAssert.BitIdentical(chainedBefore, chained.Forward(x).ToArray(), what: "continuing a chain: sparse, frozen values");
            Assert.NotEqual(aloneBefore, alone.Forward(h).ToArray());
        }

        Assert.False(s2.ValuesFrozen);
    }

    [Fact]
    public void LeNet300100_FusedInference_GivesThePerLayerBits()
    {
        var rng = new Rng(24);
        var model = new LeNet300100(rng, inputFeatures: 64);
        var layers = model.NamedModules().Select(kv => kv.Value).OfType<Linear>().ToArray();
        Assert.Equal(3, layers.Length);
        Sparsify(layers[0], rng, 0.1);
        Sparsify(layers[1], rng, 0.1);
        var x = Tensor.Normal(rng, 0f, 1f, 13, 64);
        using var noGrad = GradMode.NoGrad();
        TensorAssert.BitIdentical(PerLayer(x, layers, [true, true, false]), model.Forward(x).ToArray(), what: "LeNet-300-100");
    }

    [Fact]
    public void LeNet5Caffe_FusedHeadInference_GivesTheTrainingForwardBits()
    {
        // With gradients recorded every layer runs on its own; without, fc3 → ReLU → fc4 is one chain.
        var rng = new Rng(27);
        var model = new LeNet5Caffe(rng, inChannels: 1, inputSize: 28);
        foreach (var linear in model.NamedModules().Select(kv => kv.Value).OfType<Linear>())
        {
            Sparsify(linear, rng, 0.1);
        }

        var x = Tensor.Normal(rng, 0f, 1f, 3, 1, 28, 28);
        float[] recorded = model.Forward(x).ToArray();
        using var noGrad = GradMode.NoGrad();
        TensorAssert.BitIdentical(recorded, model.Forward(x).ToArray(), what: "LeNet-5-Caffe");
    }

    [Fact]
    public void Evaluator_FreezesForTheEvaluationOnly_AndScoresLikeThePerLayerPath()
    {
        var rng = new Rng(25);
        var model = new LeNet300100(rng, inputFeatures: 16);
        var layers = model.NamedModules().Select(kv => kv.Value).OfType<Linear>().ToArray();
        var sparse = layers.Select(l => Sparsify(l, rng, 0.3)).ToArray();
        var batches = Enumerable.Range(0, 3).Select(b => new LabeledBatch(Tensor.Normal(rng, 0, 1, 8, 16), Enumerable.Range(0, 8).Select(i => (i + b) % 10).ToArray())).ToList();
        var fused = Evaluator.Evaluate(model, batches);
        Assert.All(sparse, s => Assert.False(s.ValuesFrozen));

        long correct = 0;
        double loss = 0;
        foreach (var batch in batches)
        {
            var logits = Tensor.FromArray(PerLayer(batch.Images, layers, [true, true, false]), 8, 10);
            loss += Ops.CrossEntropy(logits, batch.Labels).Item() * 8;
            correct += Ops.CountCorrect(logits, batch.Labels.Span);
        }

        Assert.Equal((double)correct / 24, fused.Accuracy, 12);
        Assert.Equal(loss / 24, fused.Loss, 5);
    }

    [Fact]
    public void NestedSessions_ThawOnlyWhatTheyFroze()
    {
        var rng = new Rng(26);
        var l1 = new Linear(8, 8, rng);
        var s1 = Sparsify(l1, rng, 0.5);
        var model = new Sequential(l1);
        using var outer = FrozenSparseValues.Freeze(model);
        Assert.Equal(1, outer.Count);
        using (var inner = FrozenSparseValues.Freeze(model))
        {
            Assert.Equal(0, inner.Count);
        }

        Assert.True(s1.ValuesFrozen);
        outer.Dispose();
        Assert.False(s1.ValuesFrozen);
    }
}
