using Winnow.Testing;

namespace Winnow.Core.Tests.Operations;

/// <summary>
/// The sparse path of <see cref="Ops.Linear(Tensor, Tensor, Tensor?, SparseWeight?)"/>: forward and
/// gradients against the dense op on the masked weight, and the kept-only weight gradient's buffer
/// bookkeeping — entries outside the pattern are exactly zero after every backward, whether the
/// zero-fill ran or was skipped because the buffer still held the previous step's zeros.
/// </summary>
[Collection("Parallelism")]
public sealed class SparseLinearOpTests
{
    private const int Out = 13, In = 37, Batch = 11;

    private static float[] Mask(Rng rng, double density)
    {
        var m = new float[Out * In];
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = rng.NextDouble() < density ? 1f : 0f;
        }

        return m;
    }

    private static (Tensor W, Tensor B, Tensor X, SparseWeight Sparse, float[] Mask) Setup(ulong seed)
    {
        var rng = new Rng(seed);
        var mask = Mask(rng, 0.3);
        var w = Tensor.Normal(rng, 0f, 1f, Out, In).RequireGrad();
        for (int i = 0; i < mask.Length; i++)
        {
            w.Data[i] *= mask[i];
        }

        var b = Tensor.Normal(rng, 0f, 1f, Out).RequireGrad();
        var x = Tensor.Normal(rng, 0f, 1f, Batch, In).RequireGrad();
        return (w, b, x, new SparseWeight(new SparsePattern(Out, In, mask)), mask);
    }

    /// <summary>Sum of y ⊙ c, so every output has a distinct upstream gradient.</summary>
    private static void Backward(Tensor y, Tensor c) => Ops.Sum(Ops.Mul(y, c)).Backward();

    [Fact]
    public void ForwardAndGradients_MatchTheDenseOpOnTheMaskedWeight()
    {
        var (w, b, x, sparse, mask) = Setup(11);
        var c = Tensor.Normal(new Rng(12), 0f, 1f, Batch, Out);
        var ySparse = Ops.Linear(x, w, b, sparse);
        var yDense = Ops.Linear(x, w, b);
        TensorAssert.Close(yDense.ToArray(), ySparse.ToArray(), atol: 1e-5f, rtol: 1e-5f, what: "forward");

        Backward(yDense, c);
        float[] dwDense = w.Grad!.ToArray(), dbDense = b.Grad!.ToArray(), dxDense = x.Grad!.ToArray();
        foreach (var t in new[] { w, b, x })
        {
            t.ZeroGrad();
        }

        Backward(Ops.Linear(x, w, b, sparse), c);
        for (int i = 0; i < dwDense.Length; i++)
        {
            dwDense[i] *= mask[i];
        }

        TensorAssert.Close(dwDense, w.Grad!.ToArray(), atol: 1e-5f, rtol: 1e-5f, what: "dW at kept positions, zero elsewhere");
        TensorAssert.Close(dbDense, b.Grad!.ToArray(), atol: 1e-5f, rtol: 1e-5f, what: "db");
        TensorAssert.Close(dxDense, x.Grad!.ToArray(), atol: 1e-5f, rtol: 1e-5f, what: "dx");
    }

    [Fact]
    public void KeptOnlyGradient_PrunedEntriesAreZeroAfterEveryBackward_WhateverWroteTheBufferBefore()
    {
        var (w, b, x, sparse, mask) = Setup(21);
        var c = Tensor.Normal(new Rng(22), 0f, 1f, Batch, Out);

        void Step(bool dense, bool zeroGrad = true)
        {
            if (zeroGrad)
            {
                w.ZeroGrad();
            }

            sparse.DenseWeightGradient = dense;
            Backward(Ops.Linear(x, w, b, sparse), c);
        }

        void AssertPrunedZero(float[] m, string what)
        {
            var g = w.Grad!.ToArray();
            for (int i = 0; i < g.Length; i++)
            {
                if (m[i] == 0f)
                {
                    Assert.True(g[i] == 0f, $"{what}: pruned dW[{i}] = {g[i]}, expected exactly 0");
                }
            }
        }

        Step(dense: true);
        Assert.Contains(w.Grad!.ToArray().Where((v, i) => mask[i] == 0f), v => v != 0f); // the dense gradient fills pruned entries
        Step(dense: false);
        AssertPrunedZero(mask, "after a dense-gradient step");
        var kept = w.Grad!.ToArray();
        Step(dense: false);
        AssertPrunedZero(mask, "second kept-only step (zero-fill skipped)");
        TensorAssert.BitIdentical(kept, w.Grad!.ToArray(), what: "same step, same gradient");

        w.SetGrad(Enumerable.Repeat(5f, Out * In).ToArray());
        Step(dense: false);
        AssertPrunedZero(mask, "after SetGrad wrote every entry");

        Step(dense: false, zeroGrad: false); // accumulates: kept entries doubled, pruned still zero
        AssertPrunedZero(mask, "after accumulating a second backward");
        TensorAssert.Close(kept.Select(v => 2 * v).ToArray(), w.Grad!.ToArray(), atol: 1e-5f, rtol: 1e-5f, what: "accumulated gradient");
        Step(dense: false);
        AssertPrunedZero(mask, "the step after an accumulation");

        // A new mask: previously kept positions are now pruned, so the buffer must be re-zeroed.
        var mask2 = Mask(new Rng(23), 0.3);
        for (int i = 0; i < mask2.Length; i++)
        {
            w.Data[i] *= mask2[i];
        }

        sparse.Pattern.Rebuild(mask2);
        Step(dense: false);
        AssertPrunedZero(mask2, "after the pattern changed");
    }

    [Fact]
    public void KeptOnlyGradient_SkipsTheZeroFill_WhileNothingWroteTheBufferThroughAutograd()
    {
        // The contract of the skip: between two kept-only backward passes over the same pattern, writers
        // go through autograd or SetGrad (counted); a raw write into Grad.Data outside the pattern is not
        // seen. This pins that the zero-fill is really skipped (it is the point of the bookkeeping).
        var (w, b, x, sparse, mask) = Setup(31);
        var c = Tensor.Normal(new Rng(32), 0f, 1f, Batch, Out);
        Backward(Ops.Linear(x, w, b, sparse), c);
        int pruned = Array.FindIndex(mask, v => v == 0f);
        w.Grad!.Data[pruned] = 7f;
        w.ZeroGrad();
        Backward(Ops.Linear(x, w, b, sparse), c);
        Assert.Equal(7f, w.Grad!.Data[pruned]);

        w.ZeroGrad();
        sparse.DenseWeightGradient = true;
        Backward(Ops.Linear(x, w, b, sparse), c);
        w.ZeroGrad();
        sparse.DenseWeightGradient = false;
        Backward(Ops.Linear(x, w, b, sparse), c);
        Assert.Equal(0f, w.Grad!.Data[pruned]);
    }
}
