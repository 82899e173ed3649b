using Winnow.NN.Models;
using Winnow.Sparsity.DynamicSparse;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Tests.DynamicSparse;

public sealed class ErSearchInitTests
{
    [Fact]
    public void EpsilonSearchFollowsTheReferenceStepsIncludingTheStepAfterConvergence()
    {
        // One 10×10 layer (Σdims 20, n 100) at density 0.5: target 50 ± 5. Pass 1: c = 200 ⇒ ε = 5, f = 0.475;
        // pass 2: c = 100 > 50 ⇒ ε = 5·0.525 = 2.625, f = 0.45125; pass 3: c = 52.5 is in
        // the band, but ε still moves: 2.625·(1 − 0.45125) = 1.44046875 ⇒ keep-probability 1.4404·20/100.
        var target = CraftedLayer.View(10, 10, new float[100], new float[100]).Target;
        var (epsilon, iterations) = ErEpsilonSearch.Solve([target], 0.5);
        Assert.Equal(3, iterations);
        Assert.Equal(1.44046875, epsilon, 12);
        Assert.Equal(0.28809375, ErEpsilonSearch.KeepProbability(target, epsilon), 12);
    }

    [Fact]
    public void LeNet300At5PercentGetsTheReferenceEpsilonAndErProbabilities()
    {
        // Σdims = 1084 + 400 + 110 = 1594, target 0.05·266,200 = 13,310: 64 passes, ε = 8.18585 (one step past
        // the 8.3507 that meets Σ = 13,310), keep-probabilities ε·(out+in)/(out·in).
        var masks = new MaskSet(new LeNet300100(new Rng(1)));
        var (epsilon, iterations) = ErEpsilonSearch.Solve(masks.Targets, 0.05);
        Assert.Equal(64, iterations);
        Assert.Equal(8.185848582419636, epsilon, 9);
        double[] expected = [0.0377272953373422, 0.10914464776559515, 0.90044334406616];
        for (int l = 0; l < 3; l++)
        {
            Assert.Equal(expected[l], ErEpsilonSearch.KeepProbability(masks.Targets[l], epsilon), 9);
        }

        // The Bernoulli draw lands near those probabilities (n = 235,200, 30,000, 1,000: within 4 standard deviations).
        var ds = new DynamicSparsity(new LeNet300100(new Rng(1)), DynamicSparseOptions.SparseMomentum() with { Init = "linear" });
        Assert.Equal(epsilon, ds.InitSearch!.Value.Epsilon, 12);
        for (int l = 0; l < 3; l++)
        {
            var t = ds.Masks.Targets[l];
            double p = expected[l], sd = Math.Sqrt(p * (1 - p) / t.Count);
            Assert.InRange((double)ds.Masks.KeptIn(t.Name) / t.Count, p - 4 * sd, p + 4 * sd);
        }
    }

    [Fact]
    public void SearchThatCannotConvergeIsAClearError()
    {
        var target = CraftedLayer.View(10, 10, new float[100], new float[100]).Target;
        var e = Assert.Throws<ArgumentException>(() => ErEpsilonSearch.Solve([target], 0.5, maxIterations: 2));
        Assert.Contains("Use init 'er'", e.Message);
    }

    [Fact]
    public void RegistryKnowsTheNewNamesAndSuggestsNearOnes()
    {
        Assert.Equal("er-search", DynamicSparseMethods.Init("LINEAR"));
        Assert.Equal("erk", DynamicSparseMethods.Init("erk"));
        Assert.Contains("er-search", Assert.Throws<ArgumentException>(() => DynamicSparseMethods.Init("er-serch")).Message);
        Assert.True(DynamicSparseMethods.Drop("global-magnitude").Global);
        Assert.Equal("magnitude", DynamicSparseMethods.Drop("Magnitude").Name);
        Assert.Contains("global_magnitude", Assert.Throws<ArgumentException>(() => DynamicSparseMethods.Drop("global_magnitud")).Message);
        Assert.Equal("momentum_neuron", DynamicSparseMethods.Growth("momentum-neuron").Name);
        Assert.True(DynamicSparseMethods.Growth("global_momentum_growth").Global);
        Assert.Contains("momentum_neuron", Assert.Throws<ArgumentException>(() => DynamicSparseMethods.Growth("momentum_nueron")).Message);
    }
}
