using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.Masks;
using Winnow.Testing;

namespace Winnow.Sparsity.Tests.Masks;

public sealed class MaskFoundationTests
{
    [Fact]
    public void SelectionCoversConvAndLinearWeightsOnly()
    {
        var model = new LeNet5Caffe(new Rng(1));
        Assert.Equal(["conv1.weight", "conv2.weight", "fc3.weight", "fc4.weight"], MaskableSelection.All.Resolve(model).Select(t => t.Name).ToArray());
        var inner = new MaskableSelection { IncludeFirst = false, IncludeLast = false };
        Assert.Equal(["conv2.weight", "fc3.weight"], inner.Resolve(model).Select(t => t.Name).ToArray());
        var only = new MaskableSelection { Only = ["fc3.weight"] };
        Assert.Equal(["fc3.weight"], only.Resolve(model).Select(t => t.Name).ToArray());
        var excl = new MaskableSelection { Exclude = ["conv1.weight", "fc4.weight"] };
        Assert.Equal(["conv2.weight", "fc3.weight"], excl.Resolve(model).Select(t => t.Name).ToArray());
    }

    [Fact]
    public void UnknownTensorNameGetsASuggestion()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MaskableSelection { Exclude = ["fc3.wieght"] }.Resolve(new LeNet5Caffe(new Rng(1))));
        Assert.Contains("'fc3.wieght' is not a conv or linear weight", ex.Message);
        Assert.Contains("Did you mean 'fc3.weight'?", ex.Message);
    }

    [Fact]
    public void MaskLoadRejectsMasksOfAnotherModel()
    {
        var a = new MaskSet(new LeNet300100(new Rng(1)));
        var b = new MaskSet(new LeNet5Caffe(new Rng(1)));
        var ex = Assert.Throws<ArgumentException>(() => a.Load(b.Snapshot(), "other.safetensors"));
        Assert.Contains("other.safetensors", ex.Message);
        Assert.Contains("no mask for 'fc1.weight'", ex.Message);
        Assert.Contains("'conv1.weight' is not a masked weight of this model", ex.Message);
        var bad = a.Snapshot();
        bad["fc1.weight"] = new Tensor(3, 3);
        Assert.Contains("has shape [3, 3] but the weight has [300, 784]", Assert.Throws<ArgumentException>(() => a.Load(bad)).Message);
        var ex2 = Assert.Throws<ArgumentException>(() => a.Set("fc2.weight", Enumerable.Repeat(0.5f, 30_000).ToArray()));
        Assert.Contains("value 0.5", ex2.Message);
    }

    [Fact]
    public void OverlapCountsSharedKeptWeights()
    {
        var model = new Sequential(new Linear(2, 2, new Rng(1)));
        var a = new MaskSet(model);
        var b = new MaskSet(model);
        a.Set("0.weight", [1, 1, 0, 0]);
        b.Set("0.weight", [1, 0, 1, 0]);
        var (jaccard, contained) = a.Overlap(b);
        Assert.Equal(1.0 / 3, jaccard, 9);
        Assert.Equal(0.5, contained, 9);
        Assert.Equal(0.5, a.Density);
    }

    [Fact]
    public void MaskedWeightsStayExactlyZeroThroughTraining()
    {
        var rng = new Rng(2);
        var model = new LeNet300100(rng, inputFeatures: 16);
        var masks = new MaskSet(model);
        foreach (var t in masks.Targets)
        {
            var m = new float[t.Count];
            for (int i = 0; i < m.Length; i++)
            {
                m[i] = i % 3 == 0 ? 1f : 0f;
            }

            masks.Set(t.Name, m);
        }

        var opt = new Sgd(model.Parameters(), lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4);
        var trainer = new Trainer(model, opt, new TrainerOptions { Epochs = 2 });
        trainer.Hooks.Add(new HardMaskHook(masks));
        var x = Tensor.Normal(rng, 0, 1, 32, 16);
        int[] y = Enumerable.Range(0, 32).Select(i => i % 10).ToArray();
        trainer.Fit(_ => [new LabeledBatch(x, y), new LabeledBatch(x, y)], 2);
        foreach (var t in masks.Targets)
        {
            var w = t.Weight.Data;
            for (int i = 0; i < w.Length; i++)
            {
                if (i % 3 != 0)
                {
                    Assert.Equal(0f, w[i]);
                }
            }

            Assert.Contains(t.Weight.ToArray(), v => v != 0f);
        }
    }

    [Fact]
    public void TopKBreaksTiesByIndexAndKeepsLargestMagnitudes()
    {
        var mask = new float[6];
        // Raw values, ascending by (value, index): the cut falls inside the run of 0.5s, which keeps the higher indices.
        TopK.KeepLargest([0.5f, -0.9f, 0.5f, 0.1f, 0.5f, 0f], 2, mask);
        Assert.Equal([0f, 0f, 1f, 0f, 1f, 0f], mask);
    }

    [Fact]
    public void SoftMaskIsOneAtInitialisationAndDifferentiable()
    {
        var w = Tensor.Uniform(new Rng(5), -1, 1, 3, 4);
        var soft = new SoftMask(w, initialValue: -0.1f);
        Assert.Equal(1f / (1f / (1f + MathF.Exp(0.1f))), soft.Scale, 5);
        TensorAssert.Close(w.Data, soft.Apply(w).Data, 1e-6f, 1e-5f, "W_eff at β = 1");
        soft.Beta = 3f;
        GradCheck.Check(() => soft.Apply(w), [soft.Logits]);
        soft.Hard = true;
        soft.Logits.Data[0] = 0.3f;
        var m = soft.Mask().ToArray();
        Assert.Equal(soft.Scale, m[0]);
        Assert.Equal(0f, m[1]);
    }
}
