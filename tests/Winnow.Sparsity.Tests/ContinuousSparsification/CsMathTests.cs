using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.Sparsity.ContinuousSparsification;
using Winnow.Sparsity.Masks;
using Winnow.Testing;

namespace Winnow.Sparsity.Tests.ContinuousSparsification;

/// <summary>Continuous Sparsification maths against hand-computed values (ALGORITHMS.md §1.2–1.7).</summary>
public sealed class CsMathTests
{
    [Fact]
    public void TemperatureFollowsTheClosedForm()
    {
        Assert.Equal([1f, 10f, 100f], Enumerable.Range(0, 3).Select(e => TemperatureSchedule.Beta(e, 3, 100)).ToArray());
        Assert.Equal(1f, TemperatureSchedule.Beta(0, 85, 200));
        Assert.Equal(14.142136f, TemperatureSchedule.Beta(42, 85, 200), 4);
        Assert.Equal(200f, TemperatureSchedule.Beta(84, 85, 200), 3);
        Assert.Equal(1.06511, TemperatureSchedule.Factor(85, 200), 5);
        Assert.Equal(1f, TemperatureSchedule.Beta(0, 1, 200));
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureSchedule.Beta(3, 3, 200));
    }

    [Fact]
    public void PenaltyAndItsGradientGoThroughTheSigmoid()
    {
        // s0 = 0 → c = 2; s = [0.5, −1], β = 2: m = 2σ(1) = 1.4621172, 2σ(−2) = 0.2384058.
        var (masks, mask) = OneLayer(0f, [0.5f, -1f]);
        masks.Beta = 2f;
        var penalty = masks.Penalty(0.1);
        Assert.Equal(0.1f * (1.4621172f + 0.2384058f), penalty.Item(), 5);
        penalty.Backward();

        // λ·c·β·σ(βs)(1 − σ(βs)): 0.1·2·2·0.1966119, 0.1·2·2·0.1049936.
        TensorAssert.Close([0.07864477f, 0.04199743f], mask.Logits.Grad!.Data, 1e-6f);
    }

    [Fact]
    public void TaskGradientReachesWeightsAndLogits()
    {
        var weight = new Parameter(1, 2);
        weight.Data[0] = 3f;
        weight.Data[1] = -2f;
        var mask = new SoftMask(weight) { Beta = 2f };
        mask.Logits.Data[0] = 0.5f;
        mask.Logits.Data[1] = -1f;
        Ops.Sum(mask.Apply(weight)).Backward();

        TensorAssert.Close([1.4621172f, 0.2384058f], weight.Grad!.Data, 1e-6f);       // ∂L/∂W = m
        TensorAssert.Close([2.3593428f, -0.8399488f], mask.Logits.Grad!.Data, 1e-5f);  // W·c·β·σ'(βs)
    }

    [Fact]
    public void ReferenceClipOnlyCapsAtS0()
    {
        var (masks, mask) = OneLayer(0.1f, [0.5f, -0.05f, 0.05f, 0.1f]);
        masks.Clip(ClipMode.ReferenceCode, 200);
        TensorAssert.Close([0.1f, -0.05f, 0.05f, 0.1f], mask.Logits.Data);
    }

    [Fact]
    public void PaperClipFoldsTheFinalTemperatureIn()
    {
        var (masks, mask) = OneLayer(0.1f, [0.5f, -0.05f, 0.05f, 0.1f]);
        masks.Clip(ClipMode.Paper, 200);
        TensorAssert.Close([0.1f, -10f, 0.1f, 0.1f], mask.Logits.Data);
    }

    [Fact]
    public void HardMaskIsScaledByOneOverSigmaS0()
    {
        // s0 = −0.1 → c = 1/σ(−0.1) = 1 + e^0.1 = 2.1051709; s = 0 is pruned (strict s > 0).
        var (masks, mask) = OneLayer(-0.1f, [0.3f, 0f, -0.2f]);
        masks.Hard = true;
        TensorAssert.Close([2.1051709f, 0f, 0f], mask.Mask().Data);
        Assert.Equal(1, masks.Kept);
        mask.ScaleHardMask = false;
        TensorAssert.Close([1f, 0f, 0f], mask.Mask().Data);
        Assert.Equal(2f, new SoftMask(new Parameter(1), 0f).Scale);
    }

    [Fact]
    public void SoftMaskAtInitialValueLeavesWeightsUnchanged()
    {
        var (_, mask) = OneLayer(-0.1f, [-0.1f, -0.1f]);
        TensorAssert.Close([1f, 1f], mask.Mask().Data, 1e-6f);
    }

    [Fact]
    public void TopKKeepsExactlyKWithIndexTieBreak()
    {
        var (masks, mask) = OneLayer(0f, [0.3f, -0.2f, -0.2f, 0.5f, -1f, 0.1f]);
        masks.KeepTopK(0.5);
        Assert.Equal(3, masks.Kept);
        masks.KeepTopK(4.0 / 6);
        Assert.Equal(4, masks.Kept);
        masks.Hard = true;
        TensorAssert.Close([2f, 2f, 0f, 2f, 0f, 2f], mask.Mask().Data); // the tie at −0.2 keeps the lower index
    }

    [Fact]
    public void MasksAttachToConvAndLinearButNotToTheModelParameters()
    {
        var rng = new Rng(3);
        var model = new Sequential(new Conv2d(1, 2, 3, rng), new Flatten(), new Linear(8, 3, rng));
        model.NameTensors();
        var masks = new SoftMaskSet(model, MaskableSelection.All, 0f);
        Assert.Equal(2, masks.Masks.Count);
        Assert.Equal(2 * 9 + 8 * 3, masks.Total);
        var logits = masks.Logits.ToHashSet();
        Assert.DoesNotContain(model.Parameters(), p => logits.Contains(p));
        Assert.DoesNotContain(model.StateDict().Keys, k => k.Contains("mask", StringComparison.Ordinal));

        var x = Tensor.Normal(new Rng(4), 0, 1, 2, 1, 4, 4);
        masks.Hard = true; // every logit is s0 = 0, and 0 is pruned: the output is the classifier's bias
        var bias = ((Linear)model[2]).Bias!.ToArray();
        TensorAssert.Close([.. bias, .. bias], model.Forward(x).ToArray(), 1e-6f);
    }

    private static (SoftMaskSet Masks, SoftMask Mask) OneLayer(float s0, float[] logits)
    {
        var model = new Sequential(new Linear(logits.Length, 1, new Rng(1)));
        model.NameTensors();
        var masks = new SoftMaskSet(model, MaskableSelection.All, s0);
        var mask = masks.Masks[0].Mask;
        logits.CopyTo(mask.Logits.Data);
        return (masks, mask);
    }
}
