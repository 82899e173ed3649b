using static Winnow.Core.Tests.Kernels.BatchNormKernelTests;

namespace Winnow.Core.Tests.Kernels;

[Collection("Parallelism")]
public sealed class ElementwiseKernelTests
{
    private static float[] WithSpecials(int length, ulong seed)
    {
        var x = Normal(new Rng(seed), length, 0f, 1f);
        x[0] = 0f;
        x[3] = -0f;
        x[length - 1] = 0f;
        return x;
    }

    [Theory]
    [InlineData(37, false)]
    [InlineData(5, true)]
    [InlineData(64, true)]
    public void Relu_MatchesDefinition_GradientZeroAtZero(int length, bool accumulate)
    {
        var x = WithSpecials(length, 31);
        var dy = Normal(new Rng(32), length, 0f, 1f);
        var y = new float[length];
        var dx = Normal(new Rng(33), length, 0f, 1f);
        var dxNaive = (float[])dx.Clone();

        ElementwiseKernels.ReluForward(x, y);
        ElementwiseKernels.ReluBackward(x, dy, dx, accumulate);
        ElementwiseKernels.ReluBackwardNaive(x, dy, dxNaive, accumulate);

        Assert.Equal(x.Select(v => Math.Max(v, 0f)), y);
        Assert.Equal(dxNaive, dx);
        if (!accumulate)
        {
            Assert.Equal(0f, dx[0]);
        }
    }

    [Theory]
    [InlineData(37, false)]
    [InlineData(3, true)]
    public void Sigmoid_MatchesDefinitionAndNaiveBackward(int length, bool accumulate)
    {
        var x = Normal(new Rng(34), length, 0f, 3f);
        var dy = Normal(new Rng(35), length, 0f, 1f);
        var y = new float[length];
        var dx = Normal(new Rng(36), length, 0f, 1f);
        var dxNaive = (float[])dx.Clone();

        ElementwiseKernels.SigmoidForward(x, y);
        ElementwiseKernels.SigmoidBackward(y, dy, dx, accumulate);
        ElementwiseKernels.SigmoidBackwardNaive(y, dy, dxNaive, accumulate);

        Close(x.Select(v => (float)(1 / (1 + Math.Exp(-v)))).ToArray(), y, 1e-7, 1e-6, "y");
        Close(dxNaive, dx, 1e-7, 1e-6, "dx");
    }

    [Fact]
    public void SigmoidBackward_MatchesFiniteDifferences()
    {
        double[] x = [-2.0, -0.3, 0.0, 0.7, 3.1];
        double[] w = [0.5, -1.0, 2.0, 0.3, -0.8];
        var y = new float[5];
        var dx = new float[5];
        ElementwiseKernels.SigmoidForward(ToFloat(x), y);
        ElementwiseKernels.SigmoidBackward(y, ToFloat(w), dx, accumulate: false);

        Close(FiniteDifference(x, v => v.Select((t, i) => w[i] / (1 + Math.Exp(-t))).Sum()), dx, 1e-6, 1e-5, "dx");
    }

    [Fact]
    public void Sign_OfZeroIsZero_MatchesNaive()
    {
        var x = WithSpecials(29, 37);
        x[5] = float.NaN;
        float[] y = new float[x.Length], yNaive = new float[x.Length];

        ElementwiseKernels.SignForward(x, y);
        ElementwiseKernels.SignForwardNaive(x, yNaive);

        Assert.Equal(yNaive, y);
        Assert.Equal(0f, y[0]);
        Assert.Equal(0f, y[3]);
        Assert.All(y, v => Assert.Contains(v, new[] { -1f, 0f, 1f }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dropout_ScalesByMask(bool accumulate)
    {
        var x = Normal(new Rng(38), 19, 0f, 1f);
        var mask = Enumerable.Range(0, 19).Select(i => i % 3 == 0 ? 0f : 2f).ToArray();
        var y = new float[19];
        var dx = Normal(new Rng(39), 19, 0f, 1f);
        var expected = dx.Select((v, i) => (accumulate ? v : 0f) + x[i] * mask[i]).ToArray();

        ElementwiseKernels.DropoutForward(x, mask, y);
        ElementwiseKernels.DropoutBackward(x, mask, dx, accumulate);

        Assert.Equal(x.Select((v, i) => v * mask[i]), y);
        Close(expected, dx, 1e-7, 1e-6, "dx");
    }

    [Theory]
    [InlineData(7, 131, false)]
    [InlineData(1, 5, true)]
    [InlineData(40, 64, true)]
    public void BiasRows_AddAndSumMatchNaive(int rows, int cols, bool accumulate)
    {
        var rng = new Rng(40);
        var dy = Normal(rng, rows * cols, 1f, 2f);
        var bias = Normal(rng, cols, 0f, 1f);
        var y = (float[])dy.Clone();
        var db = Normal(rng, cols, 0f, 1f);
        var dbNaive = (float[])db.Clone();

        ElementwiseKernels.AddBiasRows(rows, cols, bias, y);
        ElementwiseKernels.SumRows(rows, cols, dy, db, accumulate);
        ElementwiseKernels.SumRowsNaive(rows, cols, dy, dbNaive, accumulate);

        Assert.Equal(dy.Select((v, i) => v + bias[i % cols]), y);
        Close(dbNaive, db, 1e-6, 1e-6, "dbias");
    }

    [Theory]
    [InlineData(3, 5, 7, false)]
    [InlineData(2, 3, 1, true)]
    [InlineData(4, 2, 1100, true)]
    public void ChannelBias_AddAndSumMatchNaive(int n, int c, int s, bool accumulate)
    {
        var rng = new Rng(41);
        var dy = Normal(rng, n * c * s, 1f, 2f);
        var bias = Normal(rng, c, 0f, 1f);
        var y = (float[])dy.Clone();
        var db = Normal(rng, c, 0f, 1f);
        var dbNaive = (float[])db.Clone();

        ElementwiseKernels.AddChannelBias(n, c, s, bias, y);
        ElementwiseKernels.SumChannels(n, c, s, dy, db, accumulate);
        ElementwiseKernels.SumChannelsNaive(n, c, s, dy, dbNaive, accumulate);

        Assert.Equal(dy.Select((v, i) => v + bias[i / s % c]), y);
        Close(dbNaive, db, 1e-6, 1e-6, "dbias");
    }

    [Fact]
    public void MismatchedLengths_Throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => ElementwiseKernels.SumRows(3, 4, new float[12], new float[5], accumulate: false));

        Assert.Contains("'dbias' has 5 elements but 4", ex.Message);
    }

    [Fact]
    public void AnyThreadCount_GivesBitIdenticalReductions()
    {
        var rng = new Rng(42);
        var rowsData = Normal(rng, 301 * 300, 0f, 1f);
        var channelData = Normal(rng, 8 * 16 * 1024, 0f, 1f);

        float[][] Run()
        {
            float[] rows = new float[300], channels = new float[16];
            ElementwiseKernels.SumRows(301, 300, rowsData, rows, accumulate: false);
            ElementwiseKernels.SumChannels(8, 16, 1024, channelData, channels, accumulate: false);
            return [rows, channels];
        }

        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = Run();
            Parallelism.MaxThreads = 2;
            var two = Run();
            Assert.Equal(one[0].Select(BitConverter.SingleToInt32Bits), two[0].Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(one[1].Select(BitConverter.SingleToInt32Bits), two[1].Select(BitConverter.SingleToInt32Bits));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
