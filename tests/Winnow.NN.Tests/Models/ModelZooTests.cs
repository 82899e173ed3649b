using Winnow.NN.Models;

namespace Winnow.NN.Tests.Models;

public sealed class ModelZooTests
{
    [Fact]
    public void TheRegistryListsEveryModelOnce()
    {
        Assert.Equal(
            ["lenet300", "lenet5", "conv2", "conv4", "conv6", "conv8", "vgg16", "vgg-c", "vgg-d", "vgg-like", "resnet20", "resnet32", "resnet56", "wrn-16-8", "wrn-28-2",
             "fc", "fc-binact", "conv2-binact", "conv4-binact", "conv6-binact", "conv8-binact", "vgg-small", "vgg-small-binact", "wide-vgg-small", "resnet18"],
            ModelZoo.Names);
        Assert.All(ModelZoo.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Description)));
        Assert.Equal("1×28×28", ModelZoo.Get("lenet5").DefaultInputShape);
        Assert.Equal("3×32×32", ModelZoo.Get("wrn-16-8").DefaultInputShape);
    }

    [Theory]
    [InlineData("resnet2", "resnet20")]
    [InlineData("vgg_d", "vgg-d")]
    [InlineData("wrn-16-10", "wrn-16-8")]
    [InlineData("lenet-300-100", "lenet300")]
    public void UnknownNamesSuggestTheNearestAndListAll(string name, string suggestion)
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelZoo.Create(name, new ModelSpec(3, 32, 10, new Rng(1))));
        Assert.Contains($"Unknown model '{name}'", ex.Message);
        Assert.Contains($"Did you mean '{suggestion}'?", ex.Message);
        Assert.Contains(string.Join(", ", ModelZoo.Names), ex.Message);
    }

    [Fact]
    public void NamesAreCaseInsensitive() =>
        Assert.IsType<LeNet300100>(ModelZoo.Create("LeNet300", new ModelSpec(1, 28, 10, new Rng(1))));

    [Theory]
    [InlineData("vgg-d", 1, 28, "VGG16-D needs a square input of at least 32×32")]
    [InlineData("vgg16", 3, 16, "at least 32×32")]
    [InlineData("lenet5", 1, 12, "at least 16×16")]
    [InlineData("conv8", 3, 8, "needs a square input of at least 16×16")]
    [InlineData("conv2", 3, 1, "at least 2×2")]
    public void InputsTheArchitectureCannotTakeAreRejectedWithWhatItNeeds(string name, int channels, int size, string need)
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelZoo.Create(name, new ModelSpec(channels, size, 10, new Rng(1))));
        Assert.Contains($"Model '{name}' cannot take a {channels}×{size}×{size} input", ex.Message);
        Assert.Contains(need, ex.Message);
    }

    [Fact]
    public void Conv8TakesMnistSizedInputs()
    {
        // 28 → 14 → 7 → 3 → 1: four floor halvings leave a 512×1×1 map.
        var model = ModelZoo.Create("conv8", new ModelSpec(1, 28, 10, new Rng(1)));
        Assert.Equal([256, 512], model.NamedParameters().Single(kv => kv.Key == "classifier.0.weight").Value.Shape.ToArray());
    }

    [Fact]
    public void InvalidSpecsAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelZoo.Create("lenet300", new ModelSpec(1, 28, 0, new Rng(1))));
        Assert.Contains("0 classes", ex.Message);
        Assert.Contains("must all be ≥ 1", ex.Message);
    }

    [Fact]
    public void ParameterNamesFollowTheReferences()
    {
        static string[] Names(string model) => ZooCache.Default(model).NamedParameters().Select(kv => kv.Key).ToArray();

        var vgg = Names("vgg-d");
        Assert.Equal(["features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "features.3.weight"], vgg.Take(5));
        Assert.Equal(
            ["classifier.0.weight", "classifier.0.bias", "classifier.2.weight", "classifier.2.bias", "classifier.3.weight", "classifier.3.bias",
             "classifier.5.weight", "classifier.5.bias", "classifier.6.weight", "classifier.6.bias"],
            vgg.Where(n => n.StartsWith("classifier.", StringComparison.Ordinal)));
        Assert.Equal(["classifier.0.weight", "classifier.0.bias", "classifier.2.weight", "classifier.2.bias", "classifier.3.weight", "classifier.3.bias"],
            Names("vgg-like").Where(n => n.StartsWith("classifier.", StringComparison.Ordinal)));

        var wrn = Names("wrn-28-2");
        Assert.Equal(["conv1.weight", "block1.layer.0.bn1.weight", "block1.layer.0.bn1.bias", "block1.layer.0.conv1.weight"], wrn.Take(4));
        Assert.Contains("block1.layer.0.convShortcut.weight", wrn);
        Assert.DoesNotContain("block1.layer.1.convShortcut.weight", wrn);
        Assert.Equal(["bn1.weight", "bn1.bias", "fc.weight", "fc.bias"], wrn.TakeLast(4));

        Assert.Contains("layers.3.shortcut.0.weight", Names("resnet20"));
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"], Names("lenet300"));
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"], Names("lenet5"));
        Assert.Equal("classifier.4.bias", Names("conv2").Last());

        Assert.All(ZooCache.Default("lenet300").NamedParameters(), kv => Assert.Equal(kv.Key, kv.Value.Name));
    }

    [Fact]
    public void VggCPaddingQuirkIsAnOptionThatDefaultsToTheReference()
    {
        // Reference: the 1×1 convs have padding 1 (8→10, 5→7, 3→5), leaving 512×2×2 = 2048 features.
        var quirk = Assert.IsType<VggSnip>(ZooCache.Default("vgg-c"));
        Assert.Equal(1, quirk.OneByOnePadding);
        Assert.Equal(2048, quirk.FlattenedFeatures);
        Assert.Equal([512, 2048], quirk.NamedParameters().Single(kv => kv.Key == "classifier.0.weight").Value.Shape.ToArray());
        var plain = new VggSnip(VggSnipVariant.C, new Rng(1), oneByOnePadding: 0);
        Assert.Equal(512, plain.FlattenedFeatures);

        // The quirk lets VGG-C take 28×28 (28→14→7→9→4→6→3→5→2, see the forward tests); without it
        // the fifth pool would see a 1×1 map.
        var ex = Assert.Throws<ArgumentException>(() => new VggSnip(VggSnipVariant.C, new Rng(1), 1, 28, oneByOnePadding: 0));
        Assert.Contains("VGG16-C needs a square input of at least 32×32", ex.Message);
    }
}
