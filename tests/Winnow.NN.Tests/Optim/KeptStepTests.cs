using Winnow.Kernels;
using Winnow.NN;
using Winnow.NN.Optim;

namespace Winnow.NN.Tests.Optim;

/// <summary>
/// The optimizer step over kept positions (<see cref="Optimizer.SetKeptPattern"/>) equals the dense
/// step followed by re-masking, bit for bit: weights everywhere, and the state at kept positions
/// (everywhere when the gradient of pruned weights is zero, as with the sparse weight gradient).
/// </summary>
public sealed class KeptStepTests
{
    private const int Rows = 7, Cols = 13;

    private static float[] Mask(ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, Rows * Cols).Select(_ => rng.NextDouble() < 0.3 ? 1f : 0f).ToArray();
    }

    private static Parameter MaskedParam(float[] mask)
    {
        var rng = new Rng(5);
        var p = new Parameter(Rows, Cols) { Name = "w" };
        for (int i = 0; i < p.Length; i++)
        {
            p.Data[i] = (float)rng.NextGaussian() * mask[i];
        }

        return p;
    }

    private static IEnumerable<Func<Parameter, Optimizer>> Optimizers() =>
    [
        p => new Sgd([p], lr: 0.1),
        p => new Sgd([p], lr: 0.1, momentum: 0.9),
        p => new Sgd([p], lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4),
        p => new Sgd([p], lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 1e-3),
        p => new Adam([p], lr: 1e-2),
        p => new Adam([p], lr: 1e-2, weightDecay: 1e-3),
        p => new AdamW([p], lr: 1e-2, weightDecay: 1e-2),
    ];

    public static TheoryData<int, bool> Cases()
    {
        var data = new TheoryData<int, bool>();
        for (int i = 0; i < Optimizers().Count(); i++)
        {
            data.Add(i, false);
            data.Add(i, true);
        }

        return data;
    }

    /// <summary>
    /// Four steps of optimizer <paramref name="which"/> on two copies of a masked parameter with the same
    /// gradients: one dense and re-masked after each step, one restricted by <paramref name="restrict"/>;
    /// the weights must agree bit for bit after every step. Returns both optimizers for state checks.
    /// </summary>
    private static (Optimizer Dense, Optimizer Kept) StepDenseAndKept(int which, float[] mask, ulong seed, bool prunedGradients, Action<Optimizer, Parameter, SparsePattern> restrict)
    {
        var make = Optimizers().ElementAt(which);
        var dense = MaskedParam(mask);
        var kept = MaskedParam(mask);
        var denseOpt = make(dense);
        var keptOpt = make(kept);
        restrict(keptOpt, kept, new SparsePattern(Rows, Cols, mask));
        var rng = new Rng(seed);
        for (int step = 0; step < 4; step++)
        {
            var g = Enumerable.Range(0, Rows * Cols).Select(i => (float)rng.NextGaussian() * (prunedGradients ? 1f : mask[i])).ToArray();
            dense.SetGrad(g);
            kept.SetGrad(g);
            denseOpt.Step();
            for (int i = 0; i < mask.Length; i++)
            {
                dense.Data[i] *= mask[i];
            }

            keptOpt.Step();
            Assert.Equal(dense.Data.ToArray(), kept.Data.ToArray());
        }

        return (denseOpt, keptOpt);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void KeptStep_EqualsDenseStepThenMask_BitForBit(int which, bool prunedGradients)
    {
        var mask = Mask(11);
        // The sparse weight gradient is zero at pruned positions; the dense one (exact mode) is not.
        var (denseOpt, keptOpt) = StepDenseAndKept(which, mask, seed: 17, prunedGradients, (opt, p, pattern) => opt.SetKeptPattern(p, pattern));
        var denseState = denseOpt.StateDict();
        foreach (var (key, state) in keptOpt.StateDict())
        {
            var expected = denseState[key].Data.ToArray();
            var actual = state.Data.ToArray();
            if (actual.Length == mask.Length)
            {
                for (int i = 0; i < mask.Length; i++)
                {
                    if (mask[i] == 0f && prunedGradients)
                    {
                        // The dense step accumulates pruned gradients into the state; the kept step leaves it alone.
                        expected[i] = actual[i] = 0f;
                    }
                }
            }

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void KeptStep_FollowsPatternRebuild_AndLeavesPrunedWeightsUntouched()
    {
        var mask = Mask(3);
        var p = MaskedParam(Enumerable.Repeat(1f, Rows * Cols).ToArray());
        var before = p.Data.ToArray();
        var opt = new Sgd([p], lr: 0.1, momentum: 0.9);
        var pattern = new SparsePattern(Rows, Cols, mask);
        opt.SetKeptPattern(p, pattern);
        Assert.Same(pattern, opt.KeptPattern(p));
        p.SetGrad(Enumerable.Repeat(1f, Rows * Cols).ToArray());
        opt.Step();
        for (int i = 0; i < mask.Length; i++)
        {
            Assert.Equal(mask[i] != 0f ? before[i] - 0.1f : before[i], p.Data[i]);
        }

        // After a mask change, the rebuilt pattern decides the next step.
        var other = mask.Select(m => 1f - m).ToArray();
        pattern.Rebuild(other);
        var mid = p.Data.ToArray();
        opt.Step();
        for (int i = 0; i < mask.Length; i++)
        {
            Assert.Equal(other[i] != 0f ? mid[i] - 0.1f : mid[i], p.Data[i]);
        }

        opt.SetKeptPattern(p, null);
        Assert.Null(opt.KeptPattern(p));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void KeptWrite_EqualsDenseStepThenMask_StateIncluded_BitForBit(int which)
    {
        // Pruned gradients are non-zero (exact mode, or fast mode's dense-gradient steps): the state must
        // take them exactly as the dense step does, only the weight write is restricted.
        var mask = Mask(12);
        var (denseOpt, keptOpt) = StepDenseAndKept(which, mask, seed: 18, prunedGradients: true, (opt, p, pattern) =>
        {
            Assert.True(opt.SupportsKeptWrite);
            opt.SetKeptWritePattern(p, pattern);
        });
        var denseState = denseOpt.StateDict();
        foreach (var (key, state) in keptOpt.StateDict())
        {
            Assert.Equal(denseState[key].Data.ToArray(), state.Data.ToArray());
        }
    }

    [Fact]
    public void KeptWrite_OnAnOptimizerWithoutIt_SaysWhatToDo()
    {
        var p = MaskedParam(Mask(1));
        var opt = new Adam([p], lr: 1e-2);
        Assert.False(opt.SupportsKeptWrite);
        var ex = Assert.Throws<NotSupportedException>(() => opt.SetKeptWritePattern(p, new SparsePattern(Rows, Cols, Mask(1))));
        Assert.Contains("Adam has no kept write", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SetKeptWritePattern(parameter, null)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetKeptPattern_WrongShape_SaysWhichParameter()
    {
        var p = MaskedParam(Mask(1));
        var opt = new Sgd([p], lr: 0.1);
        var ex = Assert.Throws<ArgumentException>(() => opt.SetKeptPattern(p, new SparsePattern(Rows, Cols + 1, new float[Rows * (Cols + 1)])));
        Assert.Contains("'w'", ex.Message);
        Assert.Contains("(7, 14)", ex.Message);
    }
}
