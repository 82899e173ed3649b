using Winnow.NN.Models;

namespace Winnow.NN.Tests.Models;

/// <summary>Initialisations where the references are specific (ALGORITHMS.md §1.10, §2.9).</summary>
public sealed class ModelInitTests
{
    [Fact]
    public void WideResNetConvsAreFanOutNormalAndTheHeadIsReset()
    {
        var p = Params(ModelZoo.Create("wrn-28-2", new ModelSpec(3, 32, 10, new Rng(21))));

        // N(0, 2/(k·k·out)): a 3×3 conv 128→128, the 1×1 shortcut 32→64 of group 2, the stem.
        AssertNormal(p["block3.layer.1.conv1.weight"], Math.Sqrt(2.0 / (9 * 128)), 0.02);
        AssertNormal(p["block2.layer.0.convShortcut.weight"], Math.Sqrt(2.0 / 64), 0.06);
        AssertNormal(p["conv1.weight"], Math.Sqrt(2.0 / (9 * 16)), 0.15);
        Assert.All(p["fc.bias"], v => Assert.Equal(0f, v));
        Assert.All(p["fc.weight"], v => Assert.InRange(v, -1 / Math.Sqrt(128), 1 / Math.Sqrt(128)));
        Assert.All(p["bn1.weight"], v => Assert.Equal(1f, v));
        Assert.All(p["block1.layer.0.bn1.bias"], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ResNetConvsAndClassifierAreXavierNormal()
    {
        var p = Params(ModelZoo.Create("resnet20", new ModelSpec(3, 32, 10, new Rng(22))));

        // σ = √(2/(fan_in + fan_out)), fan = channels·k·k.
        AssertNormal(p["layers.8.conv1.weight"], Math.Sqrt(2.0 / (576 + 576)), 0.02);
        AssertNormal(p["layers.6.shortcut.0.weight"], Math.Sqrt(2.0 / (32 + 64)), 0.05);
        AssertNormal(p["fc.weight"], Math.Sqrt(2.0 / (64 + 10)), 0.12);
        Assert.All(p["fc.bias"], v => Assert.Equal(0f, v));
        Assert.All(p["bn1.weight"], v => Assert.Equal(1f, v));
    }

    [Fact]
    public void SnipVggUsesThePyTorchDefaults()
    {
        var p = Params(ZooCache.Default("vgg-like"));
        double bound = 1 / Math.Sqrt(512 * 9);
        Assert.All(p["features.40.weight"], v => Assert.InRange(v, -bound, bound));
        Assert.True(p["features.40.weight"].Max() > 0.9 * bound);
        Assert.All(p["classifier.2.weight"], v => Assert.Equal(1f, v));
    }

    private static Dictionary<string, float[]> Params(Module model) =>
        model.NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    private static void AssertNormal(float[] values, double expectedStd, double relTol)
    {
        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(std, expectedStd * (1 - relTol), expectedStd * (1 + relTol));
        Assert.InRange(mean, -4 * expectedStd / Math.Sqrt(values.Length), 4 * expectedStd / Math.Sqrt(values.Length));
    }
}
