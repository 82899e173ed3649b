using static Winnow.Core.Tests.Kernels.BatchNormKernelTests;

namespace Winnow.Core.Tests.Kernels;

[Collection("Parallelism")]
public sealed class SoftmaxKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 300)]
    [InlineData(2, 513)]
    public void LogSoftmax_MatchesNaive_AlsoInPlace(int rows, int cols)
    {
        var x = Normal(new Rng(21), rows * cols, 5f, 4f);
        float[] y = new float[x.Length], yNaive = new float[x.Length], inPlace = (float[])x.Clone();

        SoftmaxKernels.LogSoftmax(rows, cols, x, y);
        SoftmaxKernels.LogSoftmaxNaive(rows, cols, x, yNaive);
        SoftmaxKernels.LogSoftmax(rows, cols, inPlace, inPlace);

        Close(yNaive, y, 1e-5, 1e-5, "y");
        Assert.Equal(y, inPlace);
    }

    [Fact]
    public void LogSoftmax_IsStableForLargeLogits()
    {
        float[] y = new float[3];

        SoftmaxKernels.LogSoftmax(1, 3, [1000f, 1001f, 1002f], y);

        double lse = Math.Log(Math.Exp(-2) + Math.Exp(-1) + 1);
        Close([(float)(-2 - lse), (float)(-1 - lse), (float)-lse], y, 1e-6, 1e-6, "y");
    }

    [Theory]
    [InlineData(3, 7, false)]
    [InlineData(4, 300, true)]
    [InlineData(1, 1, true)]
    public void LogSoftmaxBackward_MatchesNaive(int rows, int cols, bool accumulate)
    {
        var rng = new Rng(22);
        var x = Normal(rng, rows * cols, 0f, 2f);
        var dy = Normal(rng, x.Length, 0f, 1f);
        var y = new float[x.Length];
        SoftmaxKernels.LogSoftmax(rows, cols, x, y);
        var dx = Normal(rng, x.Length, 0f, 1f);
        var dxNaive = (float[])dx.Clone();

        SoftmaxKernels.LogSoftmaxBackward(rows, cols, dy, y, dx, accumulate);
        SoftmaxKernels.LogSoftmaxBackwardNaive(rows, cols, dy, y, dxNaive, accumulate);

        Close(dxNaive, dx, 1e-5, 1e-5, "dx");
    }

    [Fact]
    public void LogSoftmaxBackward_MatchesFiniteDifferences()
    {
        const int rows = 2, cols = 5;
        var rng = new Rng(23);
        double[] x = ToDouble(Normal(rng, rows * cols, 0f, 1.5f)), w = ToDouble(Normal(rng, rows * cols, 0f, 1f));
        double Loss(double[] v)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                double lse = Math.Log(Enumerable.Range(0, cols).Sum(j => Math.Exp(v[r * cols + j])));
                for (int j = 0; j < cols; j++)
                {
                    sum += w[r * cols + j] * (v[r * cols + j] - lse);
                }
            }

            return sum;
        }

        float[] y = new float[x.Length], dx = new float[x.Length];
        SoftmaxKernels.LogSoftmax(rows, cols, ToFloat(x), y);
        SoftmaxKernels.LogSoftmaxBackward(rows, cols, ToFloat(w), y, dx, accumulate: false);

        Close(FiniteDifference(x, Loss), dx, 1e-4, 1e-3, "dx");
    }

    [Fact]
    public void CrossEntropy_MatchesHandValues()
    {
        // Row 0: p = [1, 2, 3]/6, target 2 → −log(1/2). Row 1: same logits, target 0 → −log(1/6).
        float[] logits = [0f, MathF.Log(2f), MathF.Log(3f), 0f, MathF.Log(2f), MathF.Log(3f)];
        int[] targets = [2, 0];
        var probs = new float[6];

        float loss = SoftmaxKernels.CrossEntropyForward(2, 3, logits, targets, 0f, probs);
        float smoothed = SoftmaxKernels.CrossEntropyForward(2, 3, logits, targets, 0.1f, probs);

        Assert.Equal((float)((Math.Log(2) + Math.Log(6)) / 2), loss, 6);
        double uniform = (Math.Log(6) + Math.Log(3) + Math.Log(2)) / 3; // mean_j −log p_j
        Assert.Equal((float)((0.9 * Math.Log(2) + 0.1 * uniform + 0.9 * Math.Log(6) + 0.1 * uniform) / 2), smoothed, 6);
        Close([1 / 6f, 2 / 6f, 3 / 6f, 1 / 6f, 2 / 6f, 3 / 6f], probs, 1e-7, 1e-6, "probs");
    }

    [Theory]
    [InlineData(5, 11, 0f, false)]
    [InlineData(33, 300, 0.1f, true)]
    [InlineData(1, 1, 0.2f, false)]
    public void CrossEntropy_MatchesNaive(int rows, int cols, float smoothing, bool accumulate)
    {
        var rng = new Rng(24);
        var logits = Normal(rng, rows * cols, 1f, 3f);
        var targets = Enumerable.Range(0, rows).Select(_ => rng.NextInt(cols)).ToArray();
        float[] probs = new float[logits.Length], probsNaive = new float[logits.Length];

        float loss = SoftmaxKernels.CrossEntropyForward(rows, cols, logits, targets, smoothing, probs);
        float lossNaive = SoftmaxKernels.CrossEntropyForwardNaive(rows, cols, logits, targets, smoothing, probsNaive);
        var d = Normal(rng, logits.Length, 0f, 1f);
        var dNaive = (float[])d.Clone();
        SoftmaxKernels.CrossEntropyBackward(rows, cols, probs, targets, smoothing, 0.7f, d, accumulate);
        SoftmaxKernels.CrossEntropyBackwardNaive(rows, cols, probs, targets, smoothing, 0.7f, dNaive, accumulate);

        Assert.Equal(lossNaive, loss, 5);
        Close(probsNaive, probs, 1e-7, 1e-5, "probs");
        Close(dNaive, d, 1e-6, 1e-5, "dlogits");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.2f)]
    public void CrossEntropyBackward_MatchesFiniteDifferences(float smoothing)
    {
        const int rows = 3, cols = 5;
        var rng = new Rng(25);
        double[] x = ToDouble(Normal(rng, rows * cols, 0f, 1.5f));
        int[] targets = [4, 0, 2];
        double Loss(double[] v)
        {
            double total = 0;
            for (int r = 0; r < rows; r++)
            {
                double lse = Math.Log(Enumerable.Range(0, cols).Sum(j => Math.Exp(v[r * cols + j])));
                double uniform = Enumerable.Range(0, cols).Average(j => lse - v[r * cols + j]);
                total += (1 - smoothing) * (lse - v[r * cols + targets[r]]) + smoothing * uniform;
            }

            return total / rows;
        }

        float[] probs = new float[x.Length], d = new float[x.Length];
        float loss = SoftmaxKernels.CrossEntropyForward(rows, cols, ToFloat(x), targets, smoothing, probs);
        SoftmaxKernels.CrossEntropyBackward(rows, cols, probs, targets, smoothing, 1f, d, accumulate: false);

        Assert.Equal(Loss(x), loss, 5);
        Close(FiniteDifference(x, Loss), d, 1e-5, 1e-3, "dlogits");
    }

    [Fact]
    public void NllLoss_OnLogSoftmax_EqualsCrossEntropy()
    {
        const int rows = 6, cols = 9;
        var rng = new Rng(26);
        var logits = Normal(rng, rows * cols, 0f, 2f);
        int[] targets = [0, 8, 3, 3, 5, 1];
        float[] logp = new float[logits.Length], probs = new float[logits.Length];
        float[] dlogp = new float[logits.Length], viaNll = new float[logits.Length], direct = new float[logits.Length];

        SoftmaxKernels.LogSoftmax(rows, cols, logits, logp);
        float nll = SoftmaxKernels.NllLossForward(rows, cols, logp, targets);
        float ce = SoftmaxKernels.CrossEntropyForward(rows, cols, logits, targets, 0f, probs);
        SoftmaxKernels.NllLossBackward(rows, cols, targets, 2f, dlogp, accumulate: false);
        SoftmaxKernels.LogSoftmaxBackward(rows, cols, dlogp, logp, viaNll, accumulate: false);
        SoftmaxKernels.CrossEntropyBackward(rows, cols, probs, targets, 0f, 2f, direct, accumulate: false);

        Assert.Equal(ce, nll, 5);
        Close(direct, viaNll, 1e-6, 1e-5, "dlogits");
    }

    [Fact]
    public void BadTarget_ThrowsWithRowLabelAndRange()
    {
        var probs = new float[8];

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxKernels.CrossEntropyForward(2, 4, new float[8], [1, 7], 0f, probs));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxKernels.NllLossForward(2, 4, new float[8], [-1, 0]));

        Assert.Contains("row 1 is 7", ex.Message);
        Assert.Contains("[0, 3] for 4 classes", ex.Message);
        Assert.Contains("row 0 is -1", negative.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxKernels.CrossEntropyForward(2, 4, new float[8], [1, 2], 1.5f, probs));
    }

    [Fact]
    public void CountCorrect_FirstMaximumWins()
    {
        float[] logits = [1f, 3f, 3f, /**/ 2f, 0f, -1f, /**/ 0f, 0f, 5f, /**/ 4f, 4f, 4f];

        int correct = SoftmaxKernels.CountCorrect(4, 3, logits, [2, 0, 2, 0]);

        Assert.Equal(3, correct); // row 0 picks index 1 (first of the tied maxima), so only rows 1–3 count
    }

    [Fact]
    public void AnyThreadCount_GivesBitIdenticalResults()
    {
        const int rows = 2053, cols = 100;
        var rng = new Rng(27);
        var x = Normal(rng, rows * cols, 0f, 3f);
        var dy = Normal(rng, x.Length, 0f, 1f);
        var targets = Enumerable.Range(0, rows).Select(_ => rng.NextInt(cols)).ToArray();

        float[][] Run()
        {
            float[] y = new float[x.Length], dx = new float[x.Length], probs = new float[x.Length];
            SoftmaxKernels.LogSoftmax(rows, cols, x, y);
            SoftmaxKernels.LogSoftmaxBackward(rows, cols, dy, y, dx, accumulate: false);
            float loss = SoftmaxKernels.CrossEntropyForward(rows, cols, x, targets, 0.1f, probs);
            return [y, dx, probs, [loss]];
        }

        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = Run();
            Parallelism.MaxThreads = 2;
            var two = Run();
            for (int k = 0; k < one.Length; k++)
            {
                Assert.Equal(one[k].Select(BitConverter.SingleToInt32Bits), two[k].Select(BitConverter.SingleToInt32Bits));
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
