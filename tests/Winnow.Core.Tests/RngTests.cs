namespace Winnow.Core.Tests;

public sealed class RngTests
{
    [Fact]
    public void SameSeedSameSequenceDifferentSeedDifferentSequence()
    {
        var a = new Rng(7);
        var b = new Rng(7);
        var c = new Rng(8);
        var sa = Enumerable.Range(0, 8).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 8).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(sa, Enumerable.Range(0, 8).Select(_ => c.NextUInt64()).ToArray());
    }

    [Fact]
    public void StateRoundTripResumesTheSequence()
    {
        var a = new Rng(3);
        a.NextGaussian();
        var state = a.GetState();
        var expected = new[] { a.NextGaussian(), a.NextGaussian(), a.NextDouble() };
        var b = new Rng(99);
        b.SetState(state);
        Assert.Equal(expected, new[] { b.NextGaussian(), b.NextGaussian(), b.NextDouble() });
    }

    [Fact]
    public void UniformAndGaussianMomentsAreRight()
    {
        var rng = new Rng(11);
        const int n = 200_000;
        double su = 0, sg = 0, sg2 = 0;
        for (int i = 0; i < n; i++)
        {
            su += rng.NextFloat();
            double g = rng.NextGaussian();
            sg += g;
            sg2 += g * g;
        }

        Assert.InRange(su / n, 0.495, 0.505);
        Assert.InRange(sg / n, -0.01, 0.01);
        Assert.InRange(sg2 / n, 0.98, 1.02);
    }

    [Fact]
    public void NextIntStaysInRangeAndCoversIt()
    {
        var rng = new Rng(5);
        var seen = new bool[7];
        for (int i = 0; i < 1000; i++)
        {
            seen[rng.NextInt(7)] = true;
        }

        Assert.All(seen, Assert.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }
}
