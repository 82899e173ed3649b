using Winnow.Sparsity.DynamicSparse;

namespace Winnow.Sparsity.Tests.DynamicSparse;

public sealed class MomentumNeuronGrowthTests
{
    private static readonly DynamicSparseOptions Options = DynamicSparseOptions.SparseMomentum();

    [Fact]
    public void NeuronsShareTheBudgetByMeanMomentumAndThoseNeedingFewerThanTenAreSkipped()
    {
        // Three neurons of 20 inputs with |v| = base·(1 + j/100), bases 5, 3, 2: mean |v| over ALL positions
        // is ∝ base, so the shares are 0.5, 0.3, 0.2 of g = 41 → ⌊20.5⌋ = 20, ⌊12.3⌋ = 12, ⌊8.2⌋ = 8.
        // Neuron 0 has 5 active inputs (0..4), so it asks min(20, 15) = 15; its threshold is the 15th largest
        // score = input 5's, and strictly-above growth takes inputs 6..19 (14). Neuron 1 (all inactive, momentum
        // negative) asks 12: threshold = input 8's score, grows 9..19 (11). Neuron 2 asks 8 < 10: skipped.
        const int rows = 3, cols = 20;
        float[] bases = [5, -3, 2];
        var momentum = new float[rows * cols];
        var mask = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < cols; j++)
            {
                momentum[r * cols + j] = bases[r] * (1 + j / 100f);
            }
        }

        for (int j = 0; j < 5; j++)
        {
            mask[j] = 1f;
        }

        var layer = CraftedLayer.View(rows, cols, new float[rows * cols], mask, momentum);
        int grown = new MomentumNeuronGrowth().Grow(layer, 41, new Rng(1), Options);

        Assert.Equal(14 + 11, grown);
        var expected = new float[rows * cols];
        for (int j = 0; j < cols; j++)
        {
            expected[j] = j == 5 ? 0f : 1f;
            expected[cols + j] = j >= 9 ? 1f : 0f;
        }

        Assert.Equal(expected, layer.Mask);
    }

    [Fact]
    public void NeuronWhoseThresholdIsZeroGrowsNothing()
    {
        // One neuron: 10 active inputs with momentum 1, 10 inactive of which only 2 have momentum. It asks
        // min(15, 10) = 10; the 10th largest inactive score is 0, so the reference skips the neuron entirely
        // (momentum growth fills all ten: the two with momentum, then zero scores by index).
        var mask = CraftedLayer.Fill((10, 1f), (10, 0f));
        var momentum = CraftedLayer.Fill((10, 1f), (8, 0f), (2, 0.5f));
        var layer = CraftedLayer.View(1, 20, new float[20], (float[])mask.Clone(), momentum);
        Assert.Equal(0, new MomentumNeuronGrowth().Grow(layer, 15, new Rng(1), Options));
        Assert.Equal(mask, layer.Mask);
        Assert.Equal(10, new MomentumGrowth().Grow(CraftedLayer.View(1, 20, new float[20], (float[])mask.Clone(), momentum), 15, new Rng(1), Options with { GrowthScoresAllPositions = true }));
    }

    [Fact]
    public void WithoutMomentumNothingGrows()
    {
        var layer = CraftedLayer.View(2, 20, new float[40], new float[40]);
        Assert.Equal(0, new MomentumNeuronGrowth().Grow(layer, 30, new Rng(1), Options));
        Assert.All(layer.Mask, v => Assert.Equal(0f, v));
    }
}
