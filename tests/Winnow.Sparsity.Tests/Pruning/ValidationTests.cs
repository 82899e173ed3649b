using Winnow.NN.Models;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;

namespace Winnow.Sparsity.Tests.Pruning;

public sealed class ValidationTests
{
    private static readonly MaskSet Masks = new(new LeNet300100(new Rng(1), inputFeatures: 4));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void DensityOutsideZeroOneIsRejected(double density)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Pruner.Prune(Masks, new MagnitudeCriterion(), new UniformDistribution(), density));
        Assert.Contains($"The density must be in (0, 1] (the fraction of weights kept: 0.1 keeps 10%); got {density.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.", ex.Message);
        foreach (var name in SparsityMethods.DistributionNames)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => SparsityMethods.Distribution(name).KeptCounts(Masks.Targets, density, Masks.Targets.Select(t => new float[t.Count]).ToArray()));
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.2)]
    [InlineData(double.NaN)]
    public void FractionOutsideZeroOneIsRejected(double fraction)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Pruner.PruneRemainingGlobal(Masks, fraction));
        Assert.Contains("The pruning fraction must be in [0, 1) (the fraction of the REMAINING weights removed; open_lth's default is 0.2); got", ex.Message);
    }

    [Fact]
    public void GradualScheduleValuesAreChecked()
    {
        Assert.Contains("The initial sparsity must be in [0, 1) (the fraction of weights removed; RigL's MNIST final sparsity is 0.98); got -0.1.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new GradualMagnitudePruning(Masks, -0.1, 0.9, 0, 10, 1)).Message);
        Assert.Contains("The final sparsity must be in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new GradualMagnitudePruning(Masks, 0, 1, 0, 10, 1)).Message);
        Assert.Contains("The initial sparsity (0.5) must not exceed the final sparsity (0.3)",
            Assert.Throws<ArgumentOutOfRangeException>(() => new GradualMagnitudePruning(Masks, 0.5, 0.3, 0, 10, 1)).Message);
        Assert.Contains("The end step (10) must be after the begin step (10)",
            Assert.Throws<ArgumentOutOfRangeException>(() => new GradualMagnitudePruning(Masks, 0, 0.9, 10, 10, 1)).Message);
        Assert.Contains("The begin step must be ≥ 0; got -1.", Assert.Throws<ArgumentOutOfRangeException>(() => new GradualMagnitudePruning(Masks, 0, 0.9, -1, 10, 1)).Message);
        Assert.Contains("The pruning frequency must be a positive number of steps (RigL's MNIST default is 500); got 0.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new GradualMagnitudePruning(Masks, 0, 0.9, 0, 10, 0)).Message);
    }

    [Fact]
    public void RegistryNamesAndSuggestions()
    {
        Assert.Equal(["magnitude", "random", "snip"], SparsityMethods.CriterionNames);
        Assert.Equal(["uniform", "er", "erk", "global"], SparsityMethods.DistributionNames);
        Assert.IsType<ErkDistribution>(SparsityMethods.Distribution("ERK"));
        Assert.IsType<MagnitudeCriterion>(SparsityMethods.Criterion("magnitude"));
        Assert.IsType<RandomCriterion>(SparsityMethods.Criterion("random", rng: new Rng(1)));
        var ex = Assert.Throws<ArgumentException>(() => SparsityMethods.Distribution("unifrom"));
        Assert.Contains("Unknown density distribution 'unifrom'. Did you mean 'uniform'? Known: uniform, er, erk, global.", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => SparsityMethods.Criterion("magnitud"));
        Assert.Contains("Unknown pruning criterion 'magnitud'. Did you mean 'magnitude'? Known: magnitude, random, snip.", ex2.Message);
        Assert.Contains("needs a seeded Rng", Assert.Throws<ArgumentException>(() => SparsityMethods.Criterion("random")).Message);
        Assert.Contains("needs the model and one mini-batch", Assert.Throws<ArgumentException>(() => SparsityMethods.Criterion("snip")).Message);
        Assert.Contains("RigL", SparsityMethods.Describe("erk"));
    }

    [Fact]
    public void BadCriterionOrDistributionOutputFailsLoudly()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Pruner.Prune(Masks, new NanCriterion(), new UniformDistribution(), 0.5));
        Assert.Contains("Criterion 'nan' gave a NaN score for fc1.weight[0]", ex.Message);
        var ex2 = Assert.Throws<InvalidOperationException>(() => Pruner.Prune(Masks, new MagnitudeCriterion(), new TooManyDistribution(), 0.5));
        Assert.Contains("Distribution 'too-many' gave 1201 kept count for 'fc1.weight'; expected a count in [0, 1200]", ex2.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ErkDistribution { PowerScale = -1 });
    }

    private sealed class NanCriterion : IPruningCriterion
    {
        public string Name => "nan";

        public void Score(MaskTarget target, Span<float> scores) => scores.Fill(float.NaN);
    }

    private sealed class TooManyDistribution : IDensityDistribution
    {
        public string Name => "too-many";

        public IReadOnlyDictionary<string, int> KeptCounts(IReadOnlyList<MaskTarget> targets, double density, IReadOnlyList<float[]> scores)
            => targets.ToDictionary(t => t.Name, t => t.Count + 1);
    }
}
