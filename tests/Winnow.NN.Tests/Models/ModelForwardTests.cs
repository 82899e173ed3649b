using Winnow.NN.Models;

namespace Winnow.NN.Tests.Models;

/// <summary>
/// Every zoo model runs forward and backward on its default input (batch 2) and forward on the other
/// dataset's shape (batch 1, 7 classes) where its architecture allows.
/// </summary>
public sealed class ModelForwardTests
{
    private const int Classes = 7;

    // Models whose five 2×2 max-pools cannot take the other dataset's shape (1×28×28 for CIFAR models, 3×32×32 for MNIST ones).
    private static readonly HashSet<string> RejectsTheOtherShape = ["vgg16", "vgg-d", "vgg-like"];

    public static TheoryData<string> Names => new(ModelZoo.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void DefaultInputGivesLogitsAndGradientsReachTheFirstLayer(string name)
    {
        // The shared instance: backward only fills gradients and BN statistics, which no reader of the cache checks.
        var info = ModelZoo.Get(name);
        var model = ZooCache.Default(name);
        var x = Tensor.Normal(new Rng(11), 0f, 1f, 2, info.InChannels, info.InputSize, info.InputSize);

        var logits = model.Forward(x);
        Assert.Equal([2, 10], logits.Shape.ToArray());
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));

        Ops.CrossEntropy(logits, new[] { 1, 4 }).Backward();
        var (firstName, first) = model.NamedParameters().First();
        Assert.True(first.Rank >= 2, $"{name}: the first parameter {firstName} should be the first layer's weight");
        Assert.NotNull(first.Grad);
        Assert.Contains(first.Grad!.ToArray(), g => g != 0f);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheOtherDatasetShapeWorksWhereTheArchitectureAllows(string name)
    {
        var info = ModelZoo.Get(name);
        var (c, s) = info.InputSize == 28 ? (3, 32) : (1, 28);
        var spec = new ModelSpec(c, s, Classes, new Rng(12));
        if (RejectsTheOtherShape.Contains(name))
        {
            var ex = Assert.Throws<ArgumentException>(() => ModelZoo.Create(name, spec));
            Assert.Contains($"'{name}'", ex.Message);
            Assert.Contains("1×28×28", ex.Message);
            Assert.Contains("32×32", ex.Message);
            return;
        }

        // Batch 1 in eval mode: the batch dimension must survive (biprop's squeeze pitfall, §3.10).
        var model = ModelZoo.Create(name, spec);
        model.Eval();
        var logits = model.Forward(Tensor.Normal(new Rng(13), 0f, 1f, 1, c, s, s));
        Assert.Equal([1, Classes], logits.Shape.ToArray());
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void WideResNetDropoutIsActiveInTrainingOnly()
    {
        var model = ModelZoo.Create("wrn-28-2", new ModelSpec(3, 8, 10, new Rng(3)));
        var x = Tensor.Normal(new Rng(4), 0f, 1f, 2, 3, 8, 8);
        model.Eval();
        var a = model.Forward(x).ToArray();
        var b = model.Forward(x).ToArray();
        Assert.Equal(a, b);
        model.Train();
        var c = model.Forward(x).ToArray();
        var d = model.Forward(x).ToArray();
        Assert.NotEqual(c, d);
    }

    [Fact]
    public void TheSameSeedGivesTheSameWeights()
    {
        var a = ModelZoo.Create("lenet5", new ModelSpec(1, 28, 10, new Rng(5)));
        var b = ModelZoo.Create("lenet5", new ModelSpec(1, 28, 10, new Rng(5)));
        Assert.Equal(a.Parameters().SelectMany(p => p.ToArray()), b.Parameters().SelectMany(p => p.ToArray()));
    }
}
