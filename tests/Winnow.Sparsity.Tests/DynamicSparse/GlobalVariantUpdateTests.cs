using Winnow.Sparsity.DynamicSparse;

namespace Winnow.Sparsity.Tests.DynamicSparse;

public sealed class GlobalVariantUpdateTests
{
    [Fact]
    public void GlobalMagnitudeScalesEachLayersBudgetByRemovedOverExpected()
    {
        // LeNet-300-100 on 16 features (4,800 + 30,000 + 1,000 weights) at exact 10%: B = 3,580, p(0) = 0.5.
        // Global pruning aims at ⌈0.5·3,580⌉ = 1,790 ± 2% and removes different fractions per layer. Shares ∝ size
        // ("none"), no layer near capacity ⇒ g_l = ⌈s_l·R⌉, then g_l ← ⌊R/(B·p_l)·g_l⌋ (ALGORITHMS.md §2.5 d).
        var ds = new DynamicSparsity(DsFixture.Model(), DynamicSparseOptions.SparseMomentum(0.1) with
        {
            BernoulliInit = false,
            Drop = "global_magnitude",
            Redistribution = "none",
            Growth = "random",
            BernoulliRandomGrowth = false,
        });
        var report = ds.RunUpdate(null, 0, 100);

        var search = report.DropSearch!;
        Assert.True(search.WithinTolerance);
        Assert.Equal(1790, search.Target);
        Assert.Equal(search.Reached, report.Removed);
        Assert.NotEqual(report.Layers[0].Removed / (double)report.Layers[0].ActiveBefore, report.Layers[1].Removed / (double)report.Layers[1].ActiveBefore, 2);
        Assert.Equal(1, report.CappingIterations);
        foreach (var l in report.Layers)
        {
            int expected = (int)Math.Floor(report.Removed / (3580 * 0.5) * Math.Ceiling(l.Share * report.Removed));
            Assert.Equal(expected, l.Requested);
            Assert.Equal(expected, l.Regrown);
        }

        Assert.Null(report.GrowthSearch);
    }

    [Theory]
    [InlineData("global_magnitude", "momentum", "uniform")]
    [InlineData("magnitude", "global_momentum_growth", "uniform")]
    [InlineData("magnitude", "momentum_neuron", "er-search")]
    public void VariantsTrainWithMaskedWeightsAtZeroAndStayNearTheTarget(string drop, string growth, string init)
    {
        var options = DynamicSparseOptions.SparseMomentum(0.1) with { Drop = drop, Growth = growth, Init = init };
        var ds = DsFixture.Train(options, epochs: 4, steps: 5);
        Assert.Equal(3, ds.Updates.Count);
        Assert.All(ds.Updates, u => Assert.True(u.Removed > 0));
        Assert.All(ds.Updates, u => Assert.True(u.Regrown > 0, $"{growth}: nothing regrown at step {u.Step}"));
        Assert.Equal(drop == "global_magnitude", ds.Updates[0].DropSearch is not null);
        Assert.Equal(growth == "global_momentum_growth", ds.Updates[0].GrowthSearch is not null);
        foreach (var t in ds.Masks.Targets)
        {
            var m = ds.Masks[t.Name].Data.ToArray();
            var w = t.Weight.Data.ToArray();
            Assert.All(Enumerable.Range(0, m.Length), i => Assert.True(m[i] != 0f || w[i] == 0f));
        }

        // The adjusted-growth feedback keeps the density near the target despite the threshold searches'
        // ±2% bands and momentum_neuron's skipped neurons.
        Assert.InRange(ds.Masks.Density, init == "er-search" ? 0.08 : 0.09, 0.11);
    }
}
