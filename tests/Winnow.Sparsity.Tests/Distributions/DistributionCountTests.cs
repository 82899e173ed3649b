using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;

namespace Winnow.Sparsity.Tests.Distributions;

public sealed class DistributionCountTests
{
    private static readonly Module LeNet300 = new LeNet300100(new Rng(1));
    private static readonly Module LeNet5 = new LeNet5Caffe(new Rng(1));

    // Expected counts from an independent Python transcription of rigl's get_sparsities_erdos_renyi
    // (ε loop capping the max-raw layer) with round half to even; uniform = round(d·n_l).
    // LeNet-300-100: fc1 (300,784) 235,200 · fc2 (100,300) 30,000 · fc3 (10,100) 1,000 = 266,200.
    // LeNet-5-Caffe: conv1 (20,1,5,5) 500 · conv2 (50,20,5,5) 25,000 · fc3 (500,800) 400,000 · fc4 (10,500) 5,000 = 430,500.
    [Theory]
    [InlineData("lenet300", "uniform", 0.05, new[] { 11_760, 1_500, 50 })]
    [InlineData("lenet300", "uniform", 0.1, new[] { 23_520, 3_000, 100 })]
    [InlineData("lenet300", "uniform", 0.5, new[] { 117_600, 15_000, 500 })]
    [InlineData("lenet300", "er", 0.05, new[] { 9_051, 3_340, 919 })] // ε = 13,310/1,594 = 8.3501, nothing capped
    [InlineData("lenet300", "er", 0.1, new[] { 18_714, 6_906, 1_000 })] // fc3 capped, ε = 17.2642
    [InlineData("lenet300", "er", 0.5, new[] { 102_100, 30_000, 1_000 })] // fc2, fc3 capped, ε = 94.188
    [InlineData("lenet300", "erk", 0.05, new[] { 9_051, 3_340, 919 })] // linear layers: ERK = ER
    [InlineData("lenet300", "erk", 0.1, new[] { 18_714, 6_906, 1_000 })]
    [InlineData("lenet300", "erk", 0.5, new[] { 102_100, 30_000, 1_000 })]
    [InlineData("lenet5", "uniform", 0.05, new[] { 25, 1_250, 20_000, 250 })]
    [InlineData("lenet5", "uniform", 0.1, new[] { 50, 2_500, 40_000, 500 })]
    [InlineData("lenet5", "uniform", 0.5, new[] { 250, 12_500, 200_000, 2_500 })]
    [InlineData("lenet5", "er", 0.05, new[] { 500, 10_335, 7_678, 3_012 })] // conv1 capped (raw 21/20 ignoring 5×5)
    [InlineData("lenet5", "er", 0.1, new[] { 500, 21_545, 16_005, 5_000 })]
    [InlineData("lenet5", "er", 0.5, new[] { 500, 25_000, 184_750, 5_000 })]
    [InlineData("lenet5", "erk", 0.05, new[] { 363, 937, 15_225, 5_000 })] // fc4 capped, ε = 11.7116
    [InlineData("lenet5", "erk", 0.1, new[] { 500, 2_177, 35_373, 5_000 })]
    [InlineData("lenet5", "erk", 0.5, new[] { 500, 12_159, 197_591, 5_000 })]
    public void PerLayerDistributionsGiveTheReferenceCounts(string model, string distribution, double density, int[] expected)
    {
        var targets = MaskableSelection.All.Resolve(model == "lenet300" ? LeNet300 : LeNet5);
        var counts = SparsityMethods.Distribution(distribution).KeptCounts(targets, density, []);
        Assert.Equal(expected, targets.Select(t => counts[t.Name]).ToArray());
        long total = targets.Sum(t => (long)t.Count);
        Assert.InRange(expected.Sum(), Math.Round(density * total) - targets.Count, Math.Round(density * total) + targets.Count);
    }

    [Fact]
    public void PruneReportsTheExactCountsOfEachDistribution()
    {
        const double density = 0.1;
        foreach (var name in SparsityMethods.DistributionNames)
        {
            foreach (var make in new Func<Module>[] { () => new LeNet300100(new Rng(2)), () => new LeNet5Caffe(new Rng(2)) })
            {
                var masks = new MaskSet(make());
                var distribution = SparsityMethods.Distribution(name);
                var report = Pruner.Prune(masks, new MagnitudeCriterion(), distribution, density);
                Assert.Equal(masks.Kept, report.Kept);
                Assert.Equal(masks.Total, report.Total);
                if (name == "global")
                {
                    Assert.Equal((long)Math.Round(density * masks.Total), report.Kept);
                }
                else
                {
                    var counts = distribution.KeptCounts(masks.Targets, density, []);
                    Assert.All(report.Layers, l => Assert.Equal(counts[l.Name], l.Kept));
                }
            }
        }
    }

    [Fact]
    public void UniformRoundsHalfToEven()
    {
        // 0.5·15 = 7.5 → 8 (even), 0.5·5 = 2.5 → 2 (even): total 10 while round(0.5·20) = 10; 0.5·7 = 3.5 → 4.
        var model = new Sequential(new Linear(3, 5, new Rng(1)), new Linear(5, 1, new Rng(1)), new Linear(1, 7, new Rng(1)));
        var counts = new UniformDistribution().KeptCounts(MaskableSelection.All.Resolve(model), 0.5, []);
        Assert.Equal(8, counts["0.weight"]);
        Assert.Equal(2, counts["1.weight"]);
        Assert.Equal(4, counts["2.weight"]);
    }

    [Fact]
    public void ErkCapsDenseLayersAndResolvesEpsilon()
    {
        // Three linear layers, weight shapes (out,in): A (10,100) n=1000, B (5,10) n=50, C (2,5) n=10; N = 1060, d = 0.5 → 530.
        // Raw r = (out+in)/(out·in): A 110/1000 = 0.11, B 15/50 = 0.3, C 7/10 = 0.7; Σ r·n = 110 + 15 + 7 = 132.
        // Pass 1: ε = 530/132 = 4.0152; C: 0.7·ε = 2.81 > 1 → C dense.
        // Pass 2: budget 500 + 25 − 5 = 520 over Σ r·n = 125 → ε = 4.16; B: 0.3·ε = 1.248 > 1 → B dense.
        // Pass 3: budget 500 − 25 − 5 = 470 over 110 → ε = 4.2727; A: 0.11·ε = 0.47 ≤ 1. Done.
        // Kept: A round(470) = 470, B 50, C 10 → 530 exactly.
        var model = new Sequential(new Linear(100, 10, new Rng(1)), new Linear(10, 5, new Rng(1)), new Linear(5, 2, new Rng(1)));
        var targets = MaskableSelection.All.Resolve(model);
        var erk = new ErkDistribution();
        var densities = erk.Densities(targets, 0.5);
        Assert.Equal(0.47, densities["0.weight"], 12);
        Assert.Equal(1.0, densities["1.weight"]);
        Assert.Equal(1.0, densities["2.weight"]);
        var counts = erk.KeptCounts(targets, 0.5, []);
        Assert.Equal([470, 50, 10], targets.Select(t => counts[t.Name]).ToArray());
        Assert.Equal(counts.Values, new ErdosRenyiDistribution().KeptCounts(targets, 0.5, []).Values); // linear: ER = ERK
    }

    [Fact]
    public void ErIgnoresKernelSizesAndErkUsesThem()
    {
        var conv = MaskableSelection.All.Resolve(new Conv2d(20, 50, 5, new Rng(1)))[0];
        Assert.Equal(70.0 / 1000, new ErdosRenyiDistribution().RawDensity(conv), 15);
        Assert.Equal(80.0 / 25_000, new ErkDistribution().RawDensity(conv), 15);
        Assert.Equal(Math.Pow(80.0 / 25_000, 0.5), new ErkDistribution { PowerScale = 0.5 }.RawDensity(conv), 15);
    }

    [Fact]
    public void DensityOneKeepsEverythingInEveryDistribution()
    {
        var targets = MaskableSelection.All.Resolve(LeNet5);
        var scores = targets.Select(t => new float[t.Count]).ToArray();
        foreach (var name in SparsityMethods.DistributionNames)
        {
            var counts = SparsityMethods.Distribution(name).KeptCounts(targets, 1.0, scores);
            Assert.All(targets, t => Assert.Equal(t.Count, counts[t.Name]));
        }
    }

    [Fact]
    public void GlobalKeepsTheHighestScoresOverAllTensorsWithTiesByPosition()
    {
        var model = new Sequential(new Linear(2, 2, new Rng(1)), new Linear(2, 1, new Rng(1)));
        var targets = MaskableSelection.All.Resolve(model);
        // Concatenation [0.9, 0.1, 0.5, 0.3 | 0.5, 0.2]; keep round(0.5·6) = 3: 0.9, then the tie at 0.5
        // keeps both, and the cut falls after them → first tensor 2, second 1.
        var counts = new GlobalDistribution().KeptCounts(targets, 0.5, [[0.9f, 0.1f, 0.5f, 0.3f], [0.5f, 0.2f]]);
        Assert.Equal(2, counts["0.weight"]);
        Assert.Equal(1, counts["1.weight"]);
        // Keep 2: the tie at 0.5 is cut and the later position (second tensor) wins.
        counts = new GlobalDistribution().KeptCounts(targets, 2.0 / 6, [[0.9f, 0.1f, 0.5f, 0.3f], [0.5f, 0.2f]]);
        Assert.Equal(1, counts["0.weight"]);
        Assert.Equal(1, counts["1.weight"]);
    }
}
