namespace Winnow.Core.Tests;

public sealed class InitTests
{
    [Fact]
    public void FansFollowTorchDefinitions()
    {
        Assert.Equal((3 * 5 * 5, 16 * 5 * 5), Init.Fans([16, 3, 5, 5]));
        Assert.Equal((784, 300), Init.Fans([300, 784]));
        Assert.Throws<ArgumentException>(() => Init.Fans([10]));
    }

    [Fact]
    public void DefaultKaimingUniformIsUniformOverOneOverSqrtFanIn()
    {
        var w = new Tensor(200, 400);
        Init.KaimingUniform(w, new Rng(1));
        float bound = 1f / MathF.Sqrt(400);
        var d = w.ToArray();
        Assert.All(d, v => Assert.InRange(v, -bound, bound));
        Assert.True(d.Max() > 0.98f * bound && d.Min() < -0.98f * bound);
        double var = d.Select(v => (double)v * v).Average();
        Assert.InRange(var, 0.97 * bound * bound / 3, 1.03 * bound * bound / 3);
    }

    [Theory]
    [InlineData(Init.FanMode.FanIn, 3 * 9)]
    [InlineData(Init.FanMode.FanOut, 64 * 9)]
    public void KaimingNormalHasReluGainStd(Init.FanMode mode, int fan)
    {
        var w = new Tensor(64, 3, 3, 3);
        Init.KaimingNormal(w, new Rng(2), mode);
        double std = Math.Sqrt(w.ToArray().Select(v => (double)v * v).Average());
        double expected = Math.Sqrt(2.0 / fan);
        Assert.InRange(std, 0.95 * expected, 1.05 * expected);
    }

    [Fact]
    public void XavierNormalStd()
    {
        var w = new Tensor(300, 100);
        Init.XavierNormal(w, new Rng(3));
        double std = Math.Sqrt(w.ToArray().Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.97 * Math.Sqrt(2.0 / 400), 1.03 * Math.Sqrt(2.0 / 400));
    }

    [Fact]
    public void SignedKaimingConstantTakesExactlyTwoValues()
    {
        var w = new Tensor(32, 8, 3, 3);
        Init.SignedKaimingConstant(w, new Rng(4));
        float s = (float)(Math.Sqrt(2.0) / Math.Sqrt(8 * 9));
        var d = w.ToArray();
        Assert.All(d, v => Assert.True(v == s || v == -s));
        Assert.InRange(d.Count(v => v > 0), d.Length * 0.4, d.Length * 0.6);
    }
}
