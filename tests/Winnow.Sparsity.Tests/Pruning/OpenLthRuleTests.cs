using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;

namespace Winnow.Sparsity.Tests.Pruning;

public sealed class OpenLthRuleTests
{
    [Fact]
    public void StrictThresholdPrunesOneMoreThanCeilFN()
    {
        // |w| = 1…8, f = 0.25: ⌈0.25·8⌉ = 2, sorted |w| = [1..8], τ = sorted[2] = 3, keep |w| > 3 → 5 kept, 3 pruned (not 2).
        var masks = Single([-1, 2, 3, -4, 5, 6, -7, 8], out var layer);
        var report = Pruner.PruneRemainingGlobal(masks, 0.25);
        Assert.Equal([0f, 0f, 0f, 1f, 1f, 1f, 1f, 1f], masks["weight"].ToArray());
        Assert.Equal(5, report.Kept);
        Assert.Equal([0f, 0f, 0f, -4f, 5f, 6f, -7f, 8f], layer.Weight.ToArray());
    }

    [Fact]
    public void TiesWithTheThresholdAreAllPruned()
    {
        // |w| sorted = [0.1, 0.2, 0.2, 0.2, 0.3, 0.5, 0.7, 0.9]; τ = sorted[⌈0.25·8⌉ = 2] = 0.2 → every 0.2 goes: 4 pruned.
        var masks = Single([0.1f, 0.5f, -0.2f, 0.2f, 0.9f, 0.3f, 0.2f, -0.7f], out _);
        Pruner.PruneRemainingGlobal(masks, 0.25);
        Assert.Equal([0f, 1f, 0f, 0f, 1f, 1f, 0f, 1f], masks["weight"].ToArray());
    }

    [Fact]
    public void FractionZeroStillPrunesTheSmallestWeight()
    {
        var masks = Single([3, 1, 2, 4], out _);
        Assert.Equal(3, Pruner.PruneRemainingGlobal(masks, 0).Kept);
        Assert.Equal([1f, 0f, 1f, 1f], masks["weight"].ToArray());
    }

    [Fact]
    public void OnlyRemainingWeightsCountAndPrunedOnesStayPruned()
    {
        var masks = Single([10, 1, 2, 3, 4, 5, 6, 7], out var layer);
        masks.Set("weight", [0, 1, 1, 1, 1, 1, 1, 1]);
        layer.Weight.Data[0] = 10; // a large weight behind a zero mask is not revived
        // N_rem = 7, ⌈0.5·7⌉ = 4, remaining sorted [1..7] → τ = 5, keep 6, 7.
        Pruner.PruneRemainingGlobal(masks, 0.5);
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0f, 1f, 1f], masks["weight"].ToArray());
        Assert.Equal(0f, layer.Weight.Data[0]);
    }

    [Fact]
    public void ImpLevelsFollowOneMinusFToTheLevelWithinTheOffByOne()
    {
        var model = DistinctMagnitudes(new LeNet300100(new Rng(6), inputFeatures: 100)); // 61,000 weights
        var masks = new MaskSet(model);
        long kept = masks.Total;
        for (int level = 1; level <= 6; level++)
        {
            long expected = kept - (long)Math.Ceiling(0.2 * kept) - 1; // distinct |w|: exactly one extra
            kept = Pruner.PruneRemainingGlobal(masks, 0.2).Kept;
            Assert.Equal(expected, kept);
            double ideal = Math.Pow(0.8, level);
            Assert.InRange((double)kept / masks.Total, ideal - (2.0 * level / masks.Total), ideal); // ≤ 2 extra per level
        }
    }

    [Fact]
    public void IgnoredTensorsKeepTheirMasksAndCountInTheRemainingByDefault()
    {
        var model = DistinctMagnitudes(new LeNet300100(new Rng(7), inputFeatures: 100)); // fc1 30,000, fc2 30,000, fc3 1,000
        var masks = new MaskSet(model);
        var fc3 = masks.Targets.Single(t => t.Name == "fc3.weight");
        var fc3Before = fc3.Weight.ToArray();
        long pool = 60_000;
        for (int level = 1; level <= 3; level++)
        {
            // open_lth: N_rem counts fc3's 1,000 remaining weights too; τ is read from fc1/fc2 only.
            long expected = pool - (long)Math.Ceiling(0.2 * (pool + 1000)) - 1;
            var report = Pruner.PruneRemainingGlobal(masks, 0.2, ["fc3.weight"]);
            pool = report.Layers[0].Kept + report.Layers[1].Kept;
            Assert.Equal(expected, pool);
            Assert.Equal(1000, report.Layers[2].Kept);
        }

        Assert.Equal(fc3Before, fc3.Weight.ToArray());

        var alt = new MaskSet(DistinctMagnitudes(new LeNet300100(new Rng(7), inputFeatures: 100)));
        var r = Pruner.PruneRemainingGlobal(alt, 0.2, ["fc3.weight"], countIgnored: false);
        Assert.Equal(60_000 - 12_000 - 1, r.Layers[0].Kept + r.Layers[1].Kept);
    }

    [Fact]
    public void UnmaskedWeightsMayBeIgnoredButUnknownNamesAreRejected()
    {
        var masks = new MaskSet(new LeNet300100(new Rng(1), inputFeatures: 4), new MaskableSelection { IncludeLast = false });
        Pruner.PruneRemainingGlobal(masks, 0.2, ["fc3.weight"]); // not masked: nothing to exclude, no error
        var ex = Assert.Throws<ArgumentException>(() => Pruner.PruneRemainingGlobal(masks, 0.2, ["fc3.wieght"]));
        Assert.Contains("Cannot ignore 'fc3.wieght'", ex.Message);
        Assert.Contains("Did you mean 'fc3.weight'?", ex.Message);
        var all = Assert.Throws<ArgumentException>(() => Pruner.PruneRemainingGlobal(masks, 0.2, ["fc1.weight", "fc2.weight"]));
        Assert.Contains("Every masked tensor is ignored", all.Message);
    }

    [Fact]
    public void ThresholdIndexPastThePoolFailsLoudly()
    {
        var masks = Single([1, 2], out _);
        Pruner.PruneRemainingGlobal(masks, 0.5); // ⌈1⌉ = 1 → τ = 2, nothing left
        var ex = Assert.Throws<InvalidOperationException>(() => Pruner.PruneRemainingGlobal(masks, 0.5));
        Assert.Contains("threshold index ⌈f·N_rem⌉ = 0 is past the 0 remaining weights", ex.Message);
    }

    private static MaskSet Single(float[] weights, out Linear layer)
    {
        layer = new Linear(weights.Length, 1, new Rng(1), bias: false);
        weights.CopyTo(layer.Weight.Data);
        return new MaskSet(layer);
    }

    // Distinct magnitudes 1..N (shuffled, random signs) so no two |w| tie and the rule's count is exact.
    private static Module DistinctMagnitudes(Module model)
    {
        var rng = new Rng(99);
        var targets = MaskableSelection.All.Resolve(model);
        var values = Enumerable.Range(1, targets.Sum(t => t.Count)).Select(i => (float)i).ToArray();
        rng.Shuffle(values.AsSpan());
        int p = 0;
        foreach (var t in targets)
        {
            var w = t.Weight.Data;
            for (int j = 0; j < w.Length; j++)
            {
                w[j] = rng.NextInt(2) == 0 ? values[p++] : -values[p++];
            }
        }

        return model;
    }
}
