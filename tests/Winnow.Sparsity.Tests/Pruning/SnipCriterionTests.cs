using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Training;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;

namespace Winnow.Sparsity.Tests.Pruning;

public sealed class SnipCriterionTests
{
    private static readonly int[] Labels = [0, 1, 1, 0, 1];

    [Fact]
    public void ScoresAreAbsWeightTimesGradientAndLeaveTheModelUntouched()
    {
        var rng = new Rng(11);
        var model = new Sequential(new Linear(3, 4, rng), new BatchNorm1d(4), new ReLU(), new Linear(4, 2, rng));
        model.NameTensors();
        var x = Tensor.Normal(rng, 0, 1, 5, 3);

        // By hand: one forward/backward, g = ∂L/∂w, score |w·g|.
        var buffers = model.NamedBuffers().Select(kv => kv.Value.ToArray()).ToArray();
        Ops.CrossEntropy(model.Forward(x), Labels).Backward();
        var targets = MaskableSelection.All.Resolve(model);
        var expected = targets.Select(t => t.Weight.ToArray().Zip(t.Weight.Grad!.ToArray(), (w, g) => Math.Abs(w * g)).ToArray()).ToArray();
        model.ZeroGrad();
        foreach (var (b, values) in model.NamedBuffers().Select(kv => kv.Value).Zip(buffers))
        {
            values.CopyTo(b.Data); // undo the hand pass's BN statistics update
        }

        var weights = model.Parameters().Select(p => p.ToArray()).ToArray();
        var snip = new SnipCriterion(model, x, Labels);
        for (int i = 0; i < targets.Count; i++)
        {
            var s = new float[targets[i].Count];
            snip.Score(targets[i], s);
            Assert.Equal(expected[i], s);
            Assert.Contains(s, v => v > 0f);
        }

        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
        Assert.Equal(weights, model.Parameters().Select(p => p.ToArray()).ToArray());
        Assert.Equal(buffers, model.NamedBuffers().Select(kv => kv.Value.ToArray()).ToArray());
        Assert.True(float.IsFinite(snip.Loss) && snip.Loss > 0);
    }

    [Fact]
    public void SnipWithTheGlobalDistributionKeepsTheTopKappaSensitivities()
    {
        var rng = new Rng(12);
        var model = new Sequential(new Linear(3, 8, rng), new ReLU(), new Linear(8, 2, rng));
        var x = Tensor.Normal(rng, 0, 1, 5, 3);
        var masks = new MaskSet(model);
        var snip = SparsityMethods.Criterion("snip", model: model, batch: new LabeledBatch(x, Labels));
        var scores = masks.Targets.SelectMany(t =>
        {
            var s = new float[t.Count];
            snip.Score(t, s);
            return s;
        }).ToArray();
        var report = Pruner.Prune(masks, snip, new GlobalDistribution(), 0.25);
        Assert.Equal(10, report.Kept); // round(0.25·40)
        var kept = masks.Targets.SelectMany(t => masks[t.Name].ToArray()).ToArray();
        float minKept = scores.Where((_, i) => kept[i] != 0f).Min();
        float maxPruned = scores.Where((_, i) => kept[i] == 0f).Max();
        Assert.True(minKept >= maxPruned);
    }

    [Fact]
    public void SnipRejectsABadBatchAndForeignWeights()
    {
        var model = new Sequential(new Linear(3, 2, new Rng(1)));
        var ex = Assert.Throws<ArgumentException>(() => new SnipCriterion(model, new Tensor(4, 3), Labels));
        Assert.Contains("got images of shape [4, 3] and 5 labels", ex.Message);
        var snip = new SnipCriterion(model, new Tensor(5, 3), Labels);
        var other = MaskableSelection.All.Resolve(new Sequential(new Linear(3, 2, new Rng(1))))[0];
        Assert.Contains("not a weight of the model", Assert.Throws<ArgumentException>(() => snip.Score(other, new float[6])).Message);
    }
}
