using Winnow.Sparsity.DynamicSparse;

namespace Winnow.Sparsity.Tests.DynamicSparse;

public sealed class GrowthTests
{
    [Fact]
    public void GrowthPicksTheLargestMomentumZeros()
    {
        float[] mask = [1, 0, 0, 1, 0, 0, 0];
        float[] momentum = [9, -0.5f, 3, 8, -4, 0.1f, 2];
        int grown = ScoreGrowth.Grow(mask, momentum, 2, scoreAllPositions: true);
        Assert.Equal(2, grown);
        Assert.Equal([1f, 0, 1, 1, 1, 0, 0], mask);
    }

    [Fact]
    public void ScoreOverAllPositionsQuirkCanGrowFewerThanRequested()
    {
        // Only two inactive positions have momentum; asking for 3 lets an active (score 0) position win
        // the third slot by index with the quirk; without it the zero-momentum inactive one is taken.
        float[] quirk = [0, 0, 0, 1];
        float[] momentum = [0, 2, 1, 0];
        Assert.Equal(2, ScoreGrowth.Grow(quirk, momentum, 3, scoreAllPositions: true));
        Assert.Equal([0f, 1, 1, 1], quirk);

        float[] exact = [0, 0, 0, 1];
        Assert.Equal(3, ScoreGrowth.Grow(exact, momentum, 3, scoreAllPositions: false));
        Assert.Equal([1f, 1, 1, 1], exact);
    }

    [Fact]
    public void RegistryResolvesNamesAndRejectsUnknownOnes()
    {
        Assert.Equal("random", DynamicSparseMethods.Growth("Random").Name);
        Assert.True(DynamicSparseMethods.Redistribution("layerwise").Layerwise);
        var e = Assert.Throws<ArgumentException>(() => DynamicSparseMethods.Growth("momentun"));
        Assert.Contains("momentum", e.Message);
        Assert.Throws<ArgumentException>(() => DynamicSparseOptions.ForMethod("deepr", 0.05));
    }
}
