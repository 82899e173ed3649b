using Winnow.Sparsity.DynamicSparse;

namespace Winnow.Sparsity.Tests.DynamicSparse;

public sealed class GlobalSearchTests
{
    private static readonly DynamicSparseOptions Options = DynamicSparseOptions.SparseMomentum();

    [Fact]
    public void GlobalMagnitudeSearchMovesTheThresholdMultiplicativelyAndCarriesItOver()
    {
        // Two layers, all active: 10 weights at ±0.0005 and 5 at 0.00115 (layer a), 85 at 0.1 (layer b).
        // Target ⌈p·B⌉ = ⌈0.25·60⌉ = 15 ± 2%. Pass 1: t = 0.001 removes 10 < 14.7 ⇒ t = 0.001·1.2, δ = 0.198.
        // Pass 2: t = 0.0012 removes 15 ⇒ in the band.
        var a = CraftedLayer.View(1, 15, CraftedLayer.Fill((5, 0.0005f), (5, -0.0005f), (5, 0.00115f)), CraftedLayer.Ones(15));
        var b = CraftedLayer.View(1, 85, CraftedLayer.Fill((85, 0.1f)), CraftedLayer.Ones(85));
        var drop = new GlobalMagnitudeDrop();
        var search = drop.Prepare([a, b], 0.25, 60)!;

        Assert.Equal(new ThresholdSearch(0.001 * 1.2, 15, 15, 2, true, false), search);
        Assert.Equal(0.198, drop.Increment, 12);
        Assert.Equal(15, drop.Drop(a, 0));
        Assert.Equal(0, drop.Drop(b, 0));
        Assert.All(a.Mask, v => Assert.Equal(0f, v));

        // The next update starts from the carried threshold: 15 of 100 under 0.0012 is already in the band.
        var again = drop.Prepare([CraftedLayer.View(1, 15, CraftedLayer.Fill((15, 0.00115f)), CraftedLayer.Ones(15)), b], 0.25, 60)!;
        Assert.Equal(1, again.Iterations);
        Assert.Equal(0.0012, again.Threshold, 15);
    }

    [Fact]
    public void GlobalMagnitudeThresholdRemovesExactlyTheBruteForceCount()
    {
        var rng = new Rng(7);
        var layers = Enumerable.Range(0, 3).Select(l =>
        {
            int n = 2000 * (l + 1);
            var w = Enumerable.Range(0, n).Select(_ => (float)(rng.NextGaussian() * 0.05)).ToArray();
            var mask = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.5 ? 1f : 0f).ToArray();
            for (int i = 0; i < n; i++)
            {
                w[i] *= mask[i];
            }

            return CraftedLayer.View(1, n, w, mask, name: $"l{l}");
        }).ToList();
        var drop = new GlobalMagnitudeDrop();
        var search = drop.Prepare(layers, 0.3, 6000)!;

        long brute = layers.Sum(l => Enumerable.Range(0, l.Count).Count(i => l.Mask[i] != 0f && Math.Abs(l.Target.Weight.Data[i]) <= (float)search.Threshold));
        Assert.True(search.WithinTolerance);
        Assert.InRange(search.Reached, 0.98 * 1800, 1.02 * 1800);
        Assert.True(search.Iterations > 5);
        Assert.Equal(brute, search.Reached);
        Assert.Equal(brute, layers.Sum(l => (long)drop.Drop(l, 0)));
    }

    [Fact]
    public void GlobalSearchesStopOnAStallOrAtTheirCapAndSaySo()
    {
        // All weights at 0.01: the first pass (t = 0.001) removes 0, the same as "before" ⇒ the reference stops.
        var stalled = new GlobalMagnitudeDrop().Prepare([CraftedLayer.View(1, 50, CraftedLayer.Fill((50, 0.01f)), CraftedLayer.Ones(50))], 0.5, 50)!;
        Assert.Equal(new ThresholdSearch(0.001, 25, 0, 1, false, false), stalled);

        // 100 inactive positions with |v| = 0.5, target 50: every t below 0.5 selects 100 (pass 1: 100 vs 0,
        // t ← 1.02·t; pass 2: 100 again ⇒ stall at t = 0.00102). With a cap of one pass it reports the cap instead.
        var layer = CraftedLayer.View(1, 100, new float[100], new float[100], CraftedLayer.Fill((100, -0.5f)));
        var growth = new GlobalMomentumGrowth();
        Assert.Equal(new ThresholdSearch(0.001 * 1.02, 50, 100, 2, false, false), growth.Prepare([layer], 50));
        var capped = new GlobalMomentumGrowth { MaxIterations = 1 }.Prepare([layer], 50)!;
        Assert.True(capped.HitIterationCap);
        Assert.Equal(1, capped.Iterations);
        Assert.Equal(100, capped.Reached);
    }

    [Fact]
    public void GlobalMomentumGrowthGrowsTheInactivePositionsAboveTheSearchedThreshold()
    {
        // Inactive |v|: 10 at 0.003 (layer a), 5 at 0.00101 and 40 at 0.0001 (layer b); active positions
        // carry large momentum but never count. Target 10: pass 1 (t = 0.001) selects 15 > 10.2 ⇒ t ← 0.00102;
        // pass 2 selects 10 ⇒ in the band. Layer a grows its 10, layer b nothing.
        var a = CraftedLayer.View(1, 20, new float[20], CraftedLayer.Fill((10, 0f), (10, 1f)), CraftedLayer.Fill((10, -0.003f), (10, 9f)), "a");
        var b = CraftedLayer.View(1, 45, new float[45], new float[45], CraftedLayer.Fill((5, 0.00101f), (40, 0.0001f)), "b");
        var growth = new GlobalMomentumGrowth();
        var search = growth.Prepare([a, b], 10)!;
        Assert.Equal(new ThresholdSearch(0.001 * 1.02, 10, 10, 2, true, false), search);
        Assert.Equal(10, growth.Grow(a, 0, new Rng(1), Options));
        Assert.Equal(0, growth.Grow(b, 0, new Rng(1), Options));
        Assert.All(a.Mask, v => Assert.Equal(1f, v));
    }
}
