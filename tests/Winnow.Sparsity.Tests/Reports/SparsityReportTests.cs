using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;
using Winnow.Sparsity.Reports;
using Winnow.Sparsity.Subnetworks;

namespace Winnow.Sparsity.Tests.Reports;

public sealed class SparsityReportTests
{
    [Fact]
    public void LeNet300DenseAndTenPercentUniform()
    {
        var model = new LeNet300100(new Rng(1));
        var dense = SparsityReport.Measure(model, null, 1, 28);
        Assert.Equal(266_200, dense.DenseMacs);
        Assert.Equal(266_200, dense.SparseMacs);
        Assert.Equal(266_610, dense.Parameters);
        Assert.Equal("fc1.weight", dense.FirstLayer);
        Assert.Equal(1.0, dense.WeightDensity);
        Assert.Equal(1.0, dense.MaskedDensity); // nothing masked
        // Training: 3·266,200 − 235,200 (fc1 needs no input gradient) = 563,400 MACs.
        Assert.Equal(2 * 563_400, dense.DenseTrainingFlops);

        var masks = new MaskSet(model);
        Pruner.Prune(masks, new MagnitudeCriterion(), new UniformDistribution(), 0.1);
        var r = SparsityReport.Measure(model, masks, 1, 28);
        Assert.Equal(266_200, r.DenseMacs);
        Assert.Equal(26_620, r.SparseMacs);
        Assert.Equal(532_400, r.DenseFlops);
        Assert.Equal(53_240, r.SparseFlops);
        Assert.Equal(10.0, r.InferenceSpeedup, 9);
        Assert.Equal(2 * ((3 * 26_620) - 23_520), r.SparseTrainingFlops);
        Assert.Equal(26_620, r.MaskedKept);
        Assert.Equal(0.1, r.MaskedDensity, 12);
        Assert.Equal(0.1, r.WeightDensity, 12);
        Assert.Equal(26_620 + 410, r.KeptParameters);
        Assert.All(r.Layers, l => Assert.True(l.Masked));
        Assert.Equal(["linear", "linear", "linear"], r.Layers.Select(l => l.Kind).ToArray());
        Assert.Equal([300, 784], r.Layers[0].Shape);

        var table = r.ToTable();
        Assert.Contains("fc1.weight", table);
        Assert.Contains("23,520", table);
        Assert.Contains("266,200", table);
        Assert.Contains("masked tensors: 26,620 of 266,200 kept (density 10.00%)", table);
        Assert.Contains("inference FLOPs/image (1×28×28): dense 532,400, sparse 53,240 (10.00× fewer)", table);
    }

    [Fact]
    public void LeNet5PerLayerMacsAndTrainingFlops()
    {
        var model = new LeNet5Caffe(new Rng(1));
        var masks = new MaskSet(model);
        Pruner.Prune(masks, new MagnitudeCriterion(), new UniformDistribution(), 0.1);
        var r = SparsityReport.Measure(model, masks, 1, 28);
        // conv1 20·24·24·1·25, conv2 50·8·8·20·25, fc3 800·500, fc4 500·10.
        Assert.Equal([288_000L, 1_600_000, 400_000, 5_000], r.Layers.Select(l => l.DenseMacs).ToArray());
        // Kept 50, 2,500, 40,000, 500: a conv weight is used out_h·out_w times (576, 64).
        Assert.Equal([28_800L, 160_000, 40_000, 500], r.Layers.Select(l => l.SparseMacs).ToArray());
        Assert.Equal(["conv", "conv", "linear", "linear"], r.Layers.Select(l => l.Kind).ToArray());
        Assert.Equal(2_293_000, r.DenseMacs);
        Assert.Equal(229_300, r.SparseMacs);
        Assert.Equal(2 * ((3 * 2_293_000L) - 288_000), r.DenseTrainingFlops);
        Assert.Equal(2 * ((3 * 229_300L) - 28_800), r.SparseTrainingFlops);
        Assert.Equal(431_080, r.Parameters);
    }

    [Fact]
    public void UnmaskedLayersCountNonZeroWeightsAndBothDensitiesAreReported()
    {
        var model = new LeNet300100(new Rng(1), inputFeatures: 16);
        var masks = new MaskSet(model, new MaskableSelection { IncludeLast = false });
        Pruner.Prune(masks, new MagnitudeCriterion(), new UniformDistribution(), 0.5);
        var fc3 = MaskableSelection.Candidates(model)[2].Weight;
        fc3.Data[..100].Clear();
        var r = SparsityReport.Measure(model, masks, 1, 4);
        Assert.Equal([true, true, false], r.Layers.Select(l => l.Masked).ToArray());
        Assert.Equal(900, r.Layers[2].Kept);
        Assert.Equal(0.5, r.MaskedDensity, 12); // 17,400 of 34,800
        Assert.Equal((17_400 + 900) / 35_800.0, r.WeightDensity, 12);
        Assert.Contains("no", r.ToTable());
    }

    [Fact]
    public void ScoreMaskedLayersCountTheEffectiveWeightAndKeepTheirTransform()
    {
        var layer = new Linear(10, 4, new Rng(1), bias: false);
        var mask = new SubnetMask(layer.Weight, SubnetMethod.EdgePopup, 0.25, new Rng(2));
        layer.WeightTransform = mask;
        var r = SparsityReport.Measure(new Sequential(new Flatten(), layer), null, 10, 1);
        Assert.Equal(10, r.Layers[0].Kept); // ⌊0.75·40⌋ = 30 pruned
        Assert.Equal("1.weight", r.Layers[0].Name);
        Assert.Equal(40, r.Layers[0].DenseMacs);
        Assert.Equal(10, r.SparseMacs);
        Assert.Same(mask, layer.WeightTransform);
    }

    [Fact]
    public void MasksOfAnotherModelAreRejected()
    {
        var masks = new MaskSet(new LeNet300100(new Rng(1)));
        var ex = Assert.Throws<ArgumentException>(() => SparsityReport.Measure(new LeNet300100(new Rng(1)), masks, 1, 28));
        Assert.Contains("The masks belong to another model", ex.Message);
    }
}
