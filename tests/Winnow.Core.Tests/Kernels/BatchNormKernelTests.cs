using Xunit.Sdk;

namespace Winnow.Core.Tests.Kernels;

[Collection("Parallelism")]
public sealed class BatchNormKernelTests
{
    private const float Eps = 1e-5f;
    private const float Momentum = 0.1f;

    [Theory]
    [InlineData(3, 5, 7, true, true)]
    [InlineData(2, 3, 1, true, true)]
    [InlineData(5, 4, 33, false, false)]
    [InlineData(1, 3, 17, true, true)]
    [InlineData(7, 2, 1, false, true)]
    [InlineData(2, 2, 300, true, false)]
    [InlineData(9, 150, 1, true, true)] // BatchNorm1d over three channel strips, the last one partial
    public void ForwardTrain_MatchesNaive(int n, int c, int s, bool affine, bool track)
    {
        var rng = new Rng(11);
        var x = Normal(rng, n * c * s, 3f, 2f);
        float[] gamma = affine ? Normal(rng, c, 1f, 0.5f) : [], beta = affine ? Normal(rng, c, 0f, 0.5f) : [];
        float[] rm = track ? Normal(rng, c, 0f, 1f) : [], rv = track ? Uniform(rng, c, 0.5f, 2f) : [];
        float[] rmNaive = (float[])rm.Clone(), rvNaive = (float[])rv.Clone();
        float[] y = new float[x.Length], yNaive = new float[x.Length];
        float[] mean = new float[c], inv = new float[c], meanNaive = new float[c], invNaive = new float[c];

        BatchNormKernels.ForwardTrain(n, c, s, x, gamma, beta, Eps, Momentum, rm, rv, y, mean, inv);
        BatchNormKernels.ForwardTrainNaive(n, c, s, x, gamma, beta, Eps, Momentum, rmNaive, rvNaive, yNaive, meanNaive, invNaive);

        Close(yNaive, y, 1e-5, 1e-5, "y");
        Close(meanNaive, mean, 1e-6, 1e-6, "saveMean");
        Close(invNaive, inv, 1e-6, 1e-5, "saveInvStd");
        Close(rmNaive, rm, 1e-6, 1e-6, "runningMean");
        Close(rvNaive, rv, 1e-6, 1e-5, "runningVar");
    }

    [Theory]
    [InlineData(3, 5, 7, true)]
    [InlineData(1, 4, 1, false)]
    [InlineData(4, 3, 19, true)]
    [InlineData(3, 70, 1, true)]
    public void ForwardEval_MatchesNaive(int n, int c, int s, bool affine)
    {
        var rng = new Rng(12);
        var x = Normal(rng, n * c * s, 1f, 2f);
        float[] gamma = affine ? Normal(rng, c, 1f, 0.5f) : [], beta = affine ? Normal(rng, c, 0f, 0.5f) : [];
        float[] rm = Normal(rng, c, 0f, 1f), rv = Uniform(rng, c, 0.5f, 2f);
        float[] y = new float[x.Length], yNaive = new float[x.Length];

        BatchNormKernels.ForwardEval(n, c, s, x, gamma, beta, Eps, rm, rv, y);
        BatchNormKernels.ForwardEvalNaive(n, c, s, x, gamma, beta, Eps, rm, rv, yNaive);

        Close(yNaive, y, 1e-5, 1e-5, "y");
    }

    [Theory]
    [InlineData(3, 5, 7, true, false)]
    [InlineData(6, 3, 1, true, true)]
    [InlineData(2, 4, 45, false, true)]
    [InlineData(5, 2, 9, false, false)]
    [InlineData(5, 130, 1, true, true)]
    public void Backward_MatchesNaive(int n, int c, int s, bool affine, bool accumulate)
    {
        var rng = new Rng(13);
        var x = Normal(rng, n * c * s, -2f, 3f);
        var dy = Normal(rng, x.Length, 0f, 1f);
        float[] gamma = affine ? Normal(rng, c, 1f, 0.5f) : [], beta = affine ? new float[c] : [];
        float[] y = new float[x.Length], mean = new float[c], inv = new float[c];
        BatchNormKernels.ForwardTrain(n, c, s, x, gamma, beta, Eps, Momentum, [], [], y, mean, inv);

        var dx = Normal(rng, x.Length, 0f, 1f);
        var dg = Normal(rng, c, 0f, 1f);
        var db = Normal(rng, c, 0f, 1f);
        float[] dxNaive = (float[])dx.Clone(), dgNaive = (float[])dg.Clone(), dbNaive = (float[])db.Clone();
        BatchNormKernels.Backward(n, c, s, dy, x, gamma, mean, inv, dx, dg, db, accumulate);
        BatchNormKernels.BackwardNaive(n, c, s, dy, x, gamma, mean, inv, dxNaive, dgNaive, dbNaive, accumulate);

        Close(dxNaive, dx, 1e-5, 1e-4, "dx");
        Close(dgNaive, dg, 1e-5, 1e-5, "dgamma");
        Close(dbNaive, db, 1e-5, 1e-5, "dbeta");
    }

    [Fact]
    public void Backward_SkipsEmptyOutputs()
    {
        var rng = new Rng(14);
        var x = Normal(rng, 12, 0f, 1f);
        var dy = Normal(rng, 12, 0f, 1f);
        float[] mean = new float[2], inv = new float[2], y = new float[12], db = new float[2], dbNaive = new float[2];
        BatchNormKernels.ForwardTrain(3, 2, 2, x, [], [], Eps, Momentum, [], [], y, mean, inv);

        BatchNormKernels.Backward(3, 2, 2, dy, x, [], mean, inv, [], [], db, accumulate: false);
        BatchNormKernels.BackwardNaive(3, 2, 2, dy, x, [], mean, inv, [], [], dbNaive, accumulate: false);

        Close(dbNaive, db, 1e-6, 1e-6, "dbeta");
    }

    [Theory]
    [InlineData(4, 1)] // BatchNorm1d: N = 4 samples of one feature
    [InlineData(1, 4)] // BatchNorm2d: one sample, one channel, 2×2 pixels
    public void RunningStats_MatchHandComputedValues(int n, int s)
    {
        float[] x = [1f, 2f, 3f, 4f];
        float[] rm = [0f], rv = [1f], y = new float[4], mean = new float[1], inv = new float[1];

        BatchNormKernels.ForwardTrain(n, 1, s, x, [1f], [0f], Eps, Momentum, rm, rv, y, mean, inv);

        Assert.Equal(2.5f, mean[0]);
        Assert.Equal((float)(1.0 / Math.Sqrt(1.25 + 1e-5)), inv[0], 6);
        Assert.Equal(0.25f, rm[0], 6);
        Assert.Equal((float)(0.9 + 0.1 * (5.0 / 3.0)), rv[0], 6); // unbiased: 1.25 · 4/3 = 1.6667
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal((float)((x[i] - 2.5) / Math.Sqrt(1.25 + 1e-5)), y[i], 5);
        }
    }

    [Fact]
    public void ForwardTrain_OneValuePerChannel_Throws()
    {
        float[] x = [1f, 2f, 3f], y = new float[3], mean = new float[3], inv = new float[3];

        var ex = Assert.Throws<ArgumentException>(() => BatchNormKernels.ForwardTrain(1, 3, 1, x, [], [], Eps, Momentum, [], [], y, mean, inv));

        Assert.Contains("more than 1 value per channel", ex.Message);
        Assert.Contains("N·S = 1·1 = 1", ex.Message);
        BatchNormKernels.ForwardEval(1, 3, 1, x, [], [], Eps, [0f, 0f, 0f], [1f, 1f, 1f], y); // evaluation is fine
    }

    [Fact]
    public void ForwardTrain_MismatchedShape_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            BatchNormKernels.ForwardTrain(2, 3, 4, new float[23], [], [], Eps, Momentum, [], [], new float[23], new float[3], new float[3]));

        Assert.Contains("(N, C, S) = (2, 3, 4) needs 24", ex.Message);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences()
    {
        const int n = 3, c = 2, s = 3;
        var rng = new Rng(15);
        double[] x = ToDouble(Normal(rng, n * c * s, 0.5f, 1.5f)), gamma = [1.3, -0.7], beta = [0.2, -0.4];
        double[] w = ToDouble(Normal(rng, x.Length, 0f, 1f));
        double Loss(double[] xx, double[] g, double[] b)
        {
            double[] yy = ForwardDouble(n, c, s, xx, g, b);
            double sum = 0;
            for (int i = 0; i < yy.Length; i++)
            {
                sum += w[i] * yy[i];
            }

            return sum;
        }

        float[] xf = ToFloat(x), gf = ToFloat(gamma), y = new float[x.Length], mean = new float[c], inv = new float[c];
        BatchNormKernels.ForwardTrain(n, c, s, xf, gf, ToFloat(beta), Eps, Momentum, [], [], y, mean, inv);
        float[] dx = new float[x.Length], dg = new float[c], db = new float[c];
        BatchNormKernels.Backward(n, c, s, ToFloat(w), xf, gf, mean, inv, dx, dg, db, accumulate: false);

        Close(FiniteDifference(x, v => Loss(v, gamma, beta)), dx, 1e-3, 1e-3, "dx");
        Close(FiniteDifference(gamma, v => Loss(x, v, beta)), dg, 1e-3, 1e-3, "dgamma");
        Close(FiniteDifference(beta, v => Loss(x, gamma, v)), db, 1e-3, 1e-3, "dbeta");
    }

    [Theory]
    [InlineData(8, 16, 1024)] // BatchNorm2d: parallel over channels
    [InlineData(256, 200, 1)] // BatchNorm1d: parallel over channel strips
    public void AnyThreadCount_GivesBitIdenticalResults(int n, int c, int s)
    {
        var rng = new Rng(16);
        var x = Normal(rng, n * c * s, 1f, 2f);
        var dy = Normal(rng, x.Length, 0f, 1f);
        var gamma = Normal(rng, c, 1f, 0.3f);
        var beta = Normal(rng, c, 0f, 0.3f);

        float[][] Run()
        {
            float[] y = new float[x.Length], ye = new float[x.Length], mean = new float[c], inv = new float[c];
            float[] rm = new float[c], rv = Enumerable.Repeat(1f, c).ToArray(), dx = new float[x.Length], dg = new float[c], db = new float[c];
            BatchNormKernels.ForwardTrain(n, c, s, x, gamma, beta, Eps, Momentum, rm, rv, y, mean, inv);
            BatchNormKernels.ForwardEval(n, c, s, x, gamma, beta, Eps, rm, rv, ye);
            BatchNormKernels.Backward(n, c, s, dy, x, gamma, mean, inv, dx, dg, db, accumulate: false);
            return [y, ye, mean, inv, rm, rv, dx, dg, db];
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

    private static double[] ForwardDouble(int n, int c, int s, double[] x, double[] gamma, double[] beta)
    {
        var y = new double[x.Length];
        double m = n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double mean = 0, var = 0;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < s; k++)
                {
                    mean += x[(i * c + ch) * s + k] / m;
                }
            }

            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < s; k++)
                {
                    var += Math.Pow(x[(i * c + ch) * s + k] - mean, 2) / m;
                }
            }

            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < s; k++)
                {
                    int at = (i * c + ch) * s + k;
                    y[at] = (x[at] - mean) / Math.Sqrt(var + Eps) * gamma[ch] + beta[ch];
                }
            }
        }

        return y;
    }

    internal static float[] FiniteDifference(double[] at, Func<double[], double> f, double h = 1e-5)
    {
        var grad = new float[at.Length];
        for (int i = 0; i < at.Length; i++)
        {
            double keep = at[i];
            at[i] = keep + h;
            double up = f(at);
            at[i] = keep - h;
            double down = f(at);
            at[i] = keep;
            grad[i] = (float)((up - down) / (2 * h));
        }

        return grad;
    }

    internal static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (!(Math.Abs(a - e) <= atol + rtol * Math.Abs(e)))
            {
                throw new XunitException($"{what}[{i}]: expected {e:G9}, got {a:G9} (|diff| {Math.Abs(a - e):G3}).");
            }
        }
    }

    internal static float[] Normal(Rng rng, int count, float mean, float std)
    {
        var a = new float[count];
        rng.FillNormal(a, mean, std);
        return a;
    }

    internal static float[] Uniform(Rng rng, int count, float low, float high)
    {
        var a = new float[count];
        rng.FillUniform(a, low, high);
        return a;
    }

    internal static double[] ToDouble(float[] a) => Array.ConvertAll(a, v => (double)v);

    internal static float[] ToFloat(double[] a) => Array.ConvertAll(a, v => (float)v);
}
