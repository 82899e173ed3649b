using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Subnetworks;
using Winnow.Testing;

namespace Winnow.Sparsity.Tests.Subnetworks;

public sealed class SubnetMaskTests
{
    private static SubnetMask Mask(float[] w, float[] s, double k, SubnetMethod method, AlphaDenominator d = AlphaDenominator.ReferenceFloor)
    {
        var weight = new Tensor(1, w.Length);
        w.CopyTo(weight.Data);
        var mask = new SubnetMask(weight, method, k, new Rng(1), d);
        s.CopyTo(mask.Scores.Data);
        return mask;
    }

    [Theory]
    [InlineData(0.5, 10, 5)]
    [InlineData(0.5, 5, 2)] // j = ⌊2.5⌋: 3 kept
    [InlineData(0.9, 10, 0)] // (1 − 0.9)·10 = 0.9999999999999998 in double: nothing pruned
    [InlineData(0.1, 7, 6)]
    [InlineData(1.0, 13, 0)]
    public void PrunedCountIsTheReferenceIndex(double k, int n, int expected)
    {
        Assert.Equal(expected, SubnetMask.PrunedCount(k, n));
    }

    [Theory]
    [InlineData(0.5, 10, 5)]
    [InlineData(0.3, 10, 3)] // (1 − 0.3)·10 = 7.000000000000001 → ⌊⌋ = 7 pruned, 3 kept
    [InlineData(0.25, 7, 2)] // ⌊0.75·7⌋ = 5 pruned
    [InlineData(1.0, 4, 4)]
    public void TopKKeepsTheReferenceCount(double k, int n, int expectedKept)
    {
        var m = Mask(new float[n].Select(_ => 1f).ToArray(), Tensor.Uniform(new Rng(3), -1, 1, n).ToArray(), k, SubnetMethod.EdgePopup);
        m.Refresh();
        Assert.Equal(expectedKept, m.Kept);
        Assert.Equal(expectedKept, (int)m.Mask.ToArray().Sum());
    }

    [Fact]
    public void TopKKeepsTheLargestMagnitudes()
    {
        var m = Mask(new float[6].Select(_ => 1f).ToArray(), [0.1f, -0.9f, 0.2f, 0.05f, 0.3f, -0.4f], 0.5, SubnetMethod.EdgePopup);
        m.Refresh();
        Assert.Equal([0f, 1f, 0f, 0f, 1f, 1f], m.Mask.ToArray());
    }

    [Fact]
    public void EdgePopupGradientIsStraightThroughTimesWeightTimesSignOfScore()
    {
        var m = Mask([2f, -3f, 0.5f, 4f], [0.9f, -0.1f, -0.8f, 0.2f], 0.5, SubnetMethod.EdgePopup);
        var weff = m.Apply(m.Weight);
        Assert.Equal([2f, 0f, 0.5f, 0f], weff.ToArray());

        // L = Σ W_eff · r, so ∂L/∂W_eff = r and ∂L/∂S = r ⊙ W ⊙ sign(S), pruned entries included.
        var r = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4);
        Ops.Sum(Ops.Mul(weff, r)).Backward();
        Assert.Equal([2f, 6f, -1.5f, 16f], m.Scores.Grad!.ToArray());
    }

    [Theory]
    [InlineData(1000, 0.5)]
    [InlineData(777, 0.1)]
    [InlineData(64, 0.9)]
    [InlineData(33, 0.3)]
    public void LayerMaskKeepsNMinusJLargestScoresLikeTheSortOracle(int n, double k)
    {
        var rng = new Rng(7);
        var s = new float[n];
        rng.FillUniform(s, -1, 1);
        for (int i = 0; i < n; i += 5)
        {
            s[i] = 0.25f * (i % 2 == 0 ? 1 : -1); // ties in |S|
        }

        var m = Mask(new float[n].Select(_ => 1f).ToArray(), s, k, SubnetMethod.EdgePopup);
        m.Refresh();
        int pruned = SubnetMask.PrunedCount(k, n);
        Assert.Equal(n - pruned, m.Kept);
        Assert.Equal(n - pruned, (int)m.Mask.ToArray().Sum());
        var oracle = new float[n];
        TopK.KeepLargest(s.Select(MathF.Abs).ToArray(), n - pruned, oracle);
        Assert.Equal(oracle, m.Mask.ToArray());
    }

    [Fact]
    public void AlphaAndEffectiveWeightOnAHandExample()
    {
        // |S| = .1 .4 .3 .2 → k = 0.5 prunes indices 0 and 3; α = (|−2| + |3|)/⌊0.5·4⌋ = 2.5.
        var m = Mask([1, -2, 3, -4], [0.1f, -0.4f, 0.3f, 0.2f], 0.5, SubnetMethod.Biprop);
        var w = m.Apply(m.Weight);
        Assert.Equal(2.5f, m.Alpha);
        Assert.Equal([0f, -2.5f, 2.5f, 0f], w.Data.ToArray());

        // n = 5, k = 0.5: 3 kept (j = 2) but the reference divides by ⌊2.5⌋ = 2; the option divides by 3.
        float[] wv = [1, -2, 3, -4, 5];
        float[] sv = [0.5f, 0.4f, 0.3f, 0.2f, 0.1f];
        var reference = Mask(wv, sv, 0.5, SubnetMethod.Biprop);
        reference.Refresh();
        Assert.Equal(6f / 2f, reference.Alpha);
        var kept = Mask(wv, sv, 0.5, SubnetMethod.Biprop, AlphaDenominator.KeptCount);
        kept.Refresh();
        Assert.Equal(6f / 3f, kept.Alpha);

        var edge = Mask([1, -2, 3, -4], [0.1f, -0.4f, 0.3f, 0.2f], 0.5, SubnetMethod.EdgePopup);
        Assert.Equal([0f, -2f, 3f, 0f], edge.Apply(edge.Weight).Data.ToArray());
    }

    [Theory]
    [InlineData(SubnetMethod.Biprop)]
    [InlineData(SubnetMethod.EdgePopup)]
    public void ScoreGradientIsTheCorrectedStraightThrough(SubnetMethod method)
    {
        // L = Σ G ⊙ W_eff ⇒ ∂L/∂W_eff = G and ∂L/∂S = G ⊙ W ⊙ sign(S), dense (pruned entries too), 0 at S = 0.
        float[] w = [1, -2, 3, -4, 0.5f, -0.25f];
        float[] s = [0.1f, -0.4f, 0.3f, 0.2f, 0f, -0.6f];
        float[] g = [0.7f, -1.1f, 0.3f, 2f, 5f, -0.9f];
        var m = Mask(w, s, 0.5, method);
        var gt = new Tensor(1, g.Length);
        g.CopyTo(gt.Data);
        Ops.Sum(Ops.Mul(m.Apply(m.Weight), gt)).Backward();
        float[] expected = [0.7f * 1, -(-1.1f * -2), 0.3f * 3, 2f * -4, 0f, -(-0.9f * -0.25f)];
        TensorAssert.Close(expected, m.Scores.Grad!.Data, 1e-6f, 1e-6f, "∂L/∂S");
    }

    [Fact]
    public void ScoreGradientThroughALinearLayerMatchesAutogradOnTheEffectiveWeight()
    {
        var rng = new Rng(3);
        var layer = new Linear(6, 4, rng, bias: false) { };
        layer.Weight.RequiresGrad = false;
        var mask = new SubnetMask(layer.Weight, SubnetMethod.Biprop, 0.4, rng);
        layer.WeightTransform = mask;
        var x = new Tensor(5, 6);
        rng.FillNormal(x.Data, 0, 1);
        int[] labels = [0, 1, 2, 3, 1];
        Ops.CrossEntropy(layer.Forward(x), labels).Backward();

        // ∂L/∂W_eff by autograd on a plain weight equal to W_eff, then the estimator by hand.
        var weff = new Parameter(4, 6);
        mask.Apply(layer.Weight).Data.CopyTo(weff.Data);
        Ops.CrossEntropy(Ops.Linear(x, weff, null), labels).Backward();
        var expected = new float[24];
        for (int i = 0; i < 24; i++)
        {
            expected[i] = weff.Grad!.Data[i] * layer.Weight.Data[i] * MathF.Sign(mask.Scores.Data[i]);
        }

        TensorAssert.Close(expected, mask.Scores.Grad!.Data, 1e-6f, 1e-5f, "∂L/∂S");
        Assert.Contains(expected, v => v != 0f);
    }

    [Fact]
    public void GlobalThresholdIsStrictAndGuardsKeepAll()
    {
        var a = Mask([1, 1, 1, 1], [0.1f, 0.2f, 0.3f, 0.4f], 0.5, SubnetMethod.Biprop);
        var b = Mask([2, -2, 2, -2], [0.2f, 0.5f, 0.6f, 0.05f], 0.5, SubnetMethod.Biprop);
        var global = new GlobalThreshold([a, b], 0.5);
        a.GlobalThreshold = b.GlobalThreshold = global;
        global.Update();

        // p = 4: sorted |S| .05 .1 .2 .2 .3 .4 .5 .6 → τ = 0.2; strict > drops both 0.2s (5 of 8 pruned).
        Assert.Equal(0.2f, global.Threshold);
        Assert.Equal([0f, 0f, 1f, 1f], a.Mask.ToArray());
        Assert.Equal([0f, 1f, 1f, 0f], b.Mask.ToArray());
        Assert.Equal(1f, a.Alpha); // α = Σ|W|·M / ones in this layer's mask
        Assert.Equal(2f, b.Alpha);

        global.KeepFraction = 1.0;
        global.Update();
        Assert.True(global.KeepAll);
        Assert.Equal(8, a.Kept + b.Kept);
    }

    [Fact]
    public void KeepFractionRampIsCubicAndOnlyForSmallKeepFractions()
    {
        Assert.Equal(0.5, GlobalThreshold.RampedKeepFraction(0.1, 0, 10), 12);
        double s5 = 0.9 + ((0.5 - 0.9) * 0.125);
        Assert.Equal(1 - s5, GlobalThreshold.RampedKeepFraction(0.1, 5, 10), 12);
        Assert.Equal(0.1, GlobalThreshold.RampedKeepFraction(0.1, 10, 10), 12);
        Assert.Equal(0.6, GlobalThreshold.RampedKeepFraction(0.6, 0, 10), 12);
    }

    [Fact]
    public void ScaledInitModesDifferExceptAtHalf()
    {
        int[] shape = [10, 8, 3, 3]; // fan_in 72
        double plain = Math.Sqrt(2.0 / 72);
        Assert.Equal(plain, SubnetInit.Sigma(shape, ScaleFanMode.Off, 0.2), 12);
        Assert.Equal(plain / Math.Sqrt(0.8), SubnetInit.Sigma(shape, ScaleFanMode.ReferenceCode, 0.2), 12);
        Assert.Equal(plain / Math.Sqrt(0.2), SubnetInit.Sigma(shape, ScaleFanMode.Paper, 0.2), 12);
        Assert.Equal(SubnetInit.Sigma(shape, ScaleFanMode.Paper, 0.5), SubnetInit.Sigma(shape, ScaleFanMode.ReferenceCode, 0.5), 12);
        var t = new Tensor(shape);
        SubnetInit.Apply(t, SubnetWeightInit.SignedConstant, ScaleFanMode.Off, 0.5, new Rng(1));
        Assert.All(t.Data.ToArray(), v => Assert.Equal((float)plain, MathF.Abs(v)));
        Assert.Contains(t.Data.ToArray(), v => v < 0);
        SubnetInit.Apply(t, SubnetWeightInit.UnsignedConstant, ScaleFanMode.Off, 0.5, new Rng(1));
        Assert.All(t.Data.ToArray(), v => Assert.Equal((float)plain, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubnetInit.Sigma(shape, ScaleFanMode.ReferenceCode, 1.0));
    }

    [Fact]
    public void BiRealActHasSignOfZeroZeroAndTheBiRealSurrogate()
    {
        var x = new Tensor(5);
        float[] xv = [-2f, -0.5f, 0f, 0.25f, 3f];
        xv.CopyTo(x.Data);
        x.RequiresGrad = true;
        var y = new BiRealAct().Forward(x);
        Assert.Equal([-1f, -1f, 0f, 1f, 1f], y.Data.ToArray());
        Ops.Sum(y).Backward();
        Assert.Equal([0f, 1f, 2f, 1.5f, 0f], x.Grad!.Data.ToArray());
    }
}
