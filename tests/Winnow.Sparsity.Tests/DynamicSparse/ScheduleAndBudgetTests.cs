using Winnow.Sparsity.DynamicSparse;

namespace Winnow.Sparsity.Tests.DynamicSparse;

public sealed class ScheduleAndBudgetTests
{
    [Fact]
    public void CosineScheduleMatchesSparseMomentumValues()
    {
        var s = new CosineRateSchedule();
        Assert.Equal(0.5, s.Rate(0, 1000), 12);
        Assert.Equal(0.005 + 0.495 * 0.5, s.Rate(500, 1000), 12);
        Assert.Equal(0.005 + 0.495 * (1 + Math.Cos(Math.PI * 0.25)) / 2, s.Rate(250, 1000), 12);
        Assert.Equal(0.005, s.Rate(1000, 1000), 12);

        // Epoch ends of a 10-epoch, 540-batch run read p(e·B).
        Assert.Equal(0.005 + 0.495 * (1 + Math.Cos(Math.PI * 0.1)) / 2, s.Rate(540, 5400), 12);
    }

    [Fact]
    public void RigLCosineReachesZeroAtThreeQuartersAndLinearDecaysToZero()
    {
        var rigl = DynamicSparseMethods.Schedule(DynamicSparseOptions.RigL());
        Assert.Equal(0.3, rigl.Rate(0, 1000), 12);
        Assert.Equal(0.15, rigl.Rate(375, 1000), 12);
        Assert.Equal(0.0, rigl.Rate(750, 1000), 12);
        Assert.Equal(0.0, rigl.Rate(900, 1000), 12);
        var linear = new LinearRateSchedule(0.5);
        Assert.Equal(0.25, linear.Rate(50, 100), 12);
        Assert.Equal(0.0, linear.Rate(100, 100), 12);
    }

    [Fact]
    public void CappingLoopWithoutCapStopsAfterOnePass()
    {
        var (g, it) = GrowthBudget.Cap([0.25, 0.75], [1000, 1000], 100);
        Assert.Equal(1, it);
        Assert.Equal([25.0, 75.0], g);
    }

    [Fact]
    public void CappingLoopRecapsAndSpreadsTheExcessUntilTheIterationLimit()
    {
        // Layer 0 wants ⌈0.8·100⌉ = 80 but holds 0.99·10 = 9.9: excess 70.1. With L = 2 half of the
        // excess comes back to the capped layer every pass, so the residual halves until it is one ulp of
        // 9.9, where 9.9 + ulp/2 rounds (to even) back up and the loop runs to the 1000-pass limit, exactly
        // as sparse_learning's Python loop does (same doubles, same order: g = [9.9, 90.09999999999998]).
        var (g, it) = GrowthBudget.Cap([0.8, 0.2], [10, 1000], 100);
        Assert.Equal(GrowthBudget.MaxIterations, it);
        Assert.Equal(9.9, g[0]);
        Assert.Equal(90.09999999999998, g[1]);

        // L = 3: a third of the residual returns to the capped layer per pass; it stops after 34 passes,
        // when the returned share no longer changes 49.5 (sparse_learning gives the same count and values).
        var (conv, itc) = GrowthBudget.Cap([0.6, 0.2, 0.2], [50, 1000, 1000], 100);
        Assert.Equal(34, itc);
        Assert.Equal([49.5, 25.25, 25.25], conv);

        // Every layer capped (one with no capacity): the residual never shrinks.
        var (three, it3) = GrowthBudget.Cap([0.5, 0.5, 0.0], [40, 40, 0], 100);
        Assert.Equal(GrowthBudget.MaxIterations, it3);
        Assert.All(three, v => Assert.True(v <= 0.99 * 40 + 1e-12));
        Assert.Equal(0.0, three[2], 12);
    }
}
