using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;

namespace Winnow.Sparsity.Tests.Pruning;

public sealed class PrunerTests
{
    [Fact]
    public void LayerwiseMagnitudeKeepsExactlyTheLargestWeightsOfEachLayer()
    {
        var model = new LeNet300100(new Rng(3), inputFeatures: 100);
        var before = MaskableSelection.All.Resolve(model).ToDictionary(t => t.Name, t => t.Weight.ToArray());
        var masks = new MaskSet(model);
        var report = Pruner.Prune(masks, new MagnitudeCriterion(), new UniformDistribution(), 0.1);
        Assert.Equal([3_000, 3_000, 100], report.Layers.Select(l => l.Kept).ToArray());
        Assert.Equal(6_100, report.Kept);
        Assert.Equal(0.1, report.Density, 12);
        foreach (var t in masks.Targets)
        {
            AssertKeepsLargest(before[t.Name], masks[t.Name].Data, t.Weight.Data);
        }
    }

    [Fact]
    public void GlobalMagnitudeKeepsExactlyTheLargestWeightsOverall()
    {
        var model = new LeNet5Caffe(new Rng(4), inputSize: 16); // conv1 500, conv2 25,000, fc3 (500,50) 25,000, fc4 5,000
        var masks = new MaskSet(model);
        var before = masks.Targets.SelectMany(t => t.Weight.ToArray()).ToArray();
        var report = Pruner.Prune(masks, new MagnitudeCriterion(), new GlobalDistribution(), 0.05);
        Assert.Equal(2_775, report.Kept); // round(0.05·55,500)
        AssertKeepsLargest(before, masks.Targets.SelectMany(t => masks[t.Name].ToArray()).ToArray(), masks.Targets.SelectMany(t => t.Weight.ToArray()).ToArray());
        // Global ≠ uniform: conv1 (fan-in 25, U(±0.2)) keeps a larger share than conv2 (fan-in 500, U(±0.045)).
        Assert.True(report.Layers[0].Density > report.Layers[1].Density);
    }

    [Fact]
    public void TiesAtTheCutKeepTheHigherIndex()
    {
        var layer = new Linear(6, 1, new Rng(1), bias: false);
        new float[] { 0.5f, -0.5f, 0.2f, 0.5f, 0.1f, -0.3f }.CopyTo(layer.Weight.Data);
        var masks = new MaskSet(layer);
        Pruner.Prune(masks, new MagnitudeCriterion(), new UniformDistribution(), 2.0 / 6);
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 0f], masks["weight"].ToArray());
        Assert.Equal([0f, -0.5f, 0f, 0.5f, 0f, 0f], layer.Weight.ToArray());
    }

    [Fact]
    public void TopKOrderIsFloatCompareToWithTiesByIndex()
    {
        // NaN first (all NaNs by index), −0 equal to +0 (by index), then ascending values.
        Assert.Equal([0, 4, 5, 2, 3, 6, 1], TopK.AscendingOrder([float.NaN, 1f, -0f, 0f, float.NaN, -1f, 0.5f]));
    }

    [Fact]
    public void RespectExistingNeverRevivesPrunedEntries()
    {
        var layer = new Linear(8, 1, new Rng(1), bias: false);
        new float[] { 8, 7, 6, 5, 4, 3, 2, 1 }.CopyTo(layer.Weight.Data);
        var masks = new MaskSet(layer);
        masks.Set("weight", [0, 0, 1, 1, 1, 1, 1, 1]);
        // Scores are |w| of the raw weights (8 and 7 are not zeroed yet) but they are not candidates.
        var report = Pruner.Prune(masks, new MagnitudeCriterion(), new UniformDistribution(), 0.25, respectExisting: true);
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f, 0f, 0f], masks["weight"].ToArray());
        Assert.Equal(2, report.Kept);
        // Asking for more than is kept keeps what is there (no revival).
        report = Pruner.Prune(masks, new MagnitudeCriterion(), new UniformDistribution(), 0.75, respectExisting: true);
        Assert.Equal(2, report.Kept);
        // Without respectExisting every entry is a candidate again (the zeroed ones score 0).
        new float[] { 8, 7, 6, 5, 4, 3, 2, 1 }.CopyTo(layer.Weight.Data);
        Pruner.Prune(masks, new MagnitudeCriterion(), new UniformDistribution(), 0.25);
        Assert.Equal([1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f], masks["weight"].ToArray());
    }

    [Fact]
    public void RandomCriterionIsSeededAndKeepsTheRequestedCount()
    {
        PruneReport Run(ulong seed, out float[] mask)
        {
            var masks = new MaskSet(new LeNet300100(new Rng(5), inputFeatures: 16));
            var r = Pruner.Prune(masks, new RandomCriterion(new Rng(seed)), new ErkDistribution(), 0.2);
            mask = masks.Targets.SelectMany(t => masks[t.Name].ToArray()).ToArray();
            return r;
        }

        var a = Run(7, out var ma);
        Run(7, out var mb);
        Run(8, out var mc);
        Assert.Equal(ma, mb);
        Assert.NotEqual(ma, mc);
        var counts = new ErkDistribution().KeptCounts(MaskableSelection.All.Resolve(new LeNet300100(new Rng(5), inputFeatures: 16)), 0.2, []);
        Assert.All(a.Layers, l => Assert.Equal(counts[l.Name], l.Kept));
    }

    [Fact]
    public void ReportListsEveryMaskInTargetOrder()
    {
        var masks = new MaskSet(new LeNet300100(new Rng(1), inputFeatures: 4));
        masks.Set("fc3.weight", Enumerable.Range(0, 1000).Select(i => i < 250 ? 1f : 0f).ToArray());
        var report = Pruner.Report(masks);
        Assert.Equal(["fc1.weight", "fc2.weight", "fc3.weight"], report.Layers.Select(l => l.Name).ToArray());
        Assert.Equal(0.25, report.Layers[2].Density);
        Assert.Equal(1200 + 30_000 + 250, report.Kept);
        Assert.Equal(32_200, report.Total);
    }

    private static void AssertKeepsLargest(float[] before, ReadOnlySpan<float> mask, ReadOnlySpan<float> after)
    {
        float minKept = float.PositiveInfinity, maxPruned = 0f;
        for (int i = 0; i < before.Length; i++)
        {
            float a = Math.Abs(before[i]);
            if (mask[i] != 0f)
            {
                minKept = Math.Min(minKept, a);
                Assert.Equal(before[i], after[i]);
            }
            else
            {
                maxPruned = Math.Max(maxPruned, a);
                Assert.Equal(0f, after[i]);
            }
        }

        Assert.True(minKept >= maxPruned, $"a pruned |w| = {maxPruned} exceeds a kept |w| = {minKept}");
    }
}
