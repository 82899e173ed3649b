namespace Winnow.Core.Tests.Kernels;

/// <summary>
/// <see cref="Sgemm.Gemm"/> against its naive twin on odd sizes, sizes that cross the register tile
/// (6×16) and the cache blocks (KC = 256, MC = 144, MO = 1536, NC = 4080) with and without packing,
/// every transpose, padded strides, and alpha/beta; plus bit-identical results for any thread count.
/// </summary>
[Collection("Parallelism")]
public sealed class SgemmTests
{
    private const ulong Seed = 1234;

    private static readonly (int M, int N, int K)[] Sizes =
    [
        (1, 1, 1), (3, 3, 3), (17, 17, 17), (1, 257, 3), (257, 1, 255), (255, 17, 257),
        (7, 16, 5), (6, 15, 1), (13, 31, 9),
        (49, 65, 40), (48, 64, 40), (100, 10, 100), (20, 70, 25),
        (145, 33, 513), (150, 140, 260), (255, 255, 255), (257, 257, 257),
        (1537, 7, 3), (3, 4081, 2), (1600, 70, 5), (50, 4100, 3),
    ];

    public static TheoryData<int, int, int, bool, bool> AllSizes()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach ((int m, int n, int k) in Sizes)
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    data.Add(m, n, k, transA, transB);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Gemm_BetaZero_MatchesNaive_AndDoesNotReadC(int m, int n, int k, bool transA, bool transB)
        => CheckAgainstNaive(m, n, k, transA, transB, alpha: -1.25f, beta: 0f, pad: 3);

    [Theory]
    [InlineData(1f, 0f, 0)]
    [InlineData(1f, 1f, 0)]
    [InlineData(0.5f, 0.5f, 5)]
    [InlineData(2f, -1f, 1)]
    public void Gemm_AlphaBeta_MatchesNaive(float alpha, float beta, int pad)
    {
        foreach ((int m, int n, int k) in new[] { (1, 1, 1), (5, 17, 3), (61, 70, 300), (200, 35, 520) })
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    CheckAgainstNaive(m, n, k, transA, transB, alpha, beta, pad);
                }
            }
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(0.5f)]
    public void Gemm_KZero_ScalesC(float beta)
    {
        // C is 2×3 with ldc = 5: elements 3 and 4 are padding and must stay as they are.
        float[] c = [1f, 2f, 3f, 9f, 9f, 4f, 5f, 6f];
        float[] expected = [beta * 1f, beta * 2f, beta * 3f, 9f, 9f, beta * 4f, beta * 5f, beta * 6f];
        if (beta == 0f)
        {
            c[0] = float.NaN; // beta = 0 overwrites C without reading it
        }

        Sgemm.Gemm(false, false, 2, 3, 0, 1f, [], 1, [], 3, beta, c, 5);
        Assert.Equal(BitsOf(expected), BitsOf(c));
    }

    [Fact]
    public void Gemm_AlphaZero_DoesNotReadAOrB()
    {
        float[] a = [float.NaN, float.NaN, float.NaN, float.NaN];
        float[] c = [1f, 2f, 3f, 4f];
        Sgemm.Gemm(false, false, 2, 2, 2, 0f, a, 2, a, 2, 0.5f, c, 2);
        Assert.Equal([0.5f, 1f, 1.5f, 2f], c);
    }

    [Fact]
    public void Gemm_EmptyOutput_DoesNothing()
    {
        float[] c = [42f];
        Sgemm.Gemm(false, false, 0, 5, 3, 1f, [], 3, new float[15], 5, 0f, c, 5);
        Sgemm.Gemm(false, false, 5, 0, 3, 1f, new float[15], 3, [], 1, 0f, c, 1);
        Assert.Equal(42f, c[0]);
    }

    [Fact]
    public void Gemm_ShortSpanOrStride_Throws()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        Assert.Throws<ArgumentException>(() => Sgemm.Gemm(false, false, 2, 2, 3, 1f, a.AsSpan(0, 5), 3, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentException>(() => Sgemm.Gemm(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, c.AsSpan(0, 3), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sgemm.Gemm(false, false, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sgemm.Gemm(true, true, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sgemm.Gemm(false, false, -1, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
    }

    public static TheoryData<int, int, int, bool, bool> ThreadedSizes() => new()
    {
        { 300, 200, 600, false, false },
        { 300, 200, 600, true, true },
        { 157, 300, 300, false, true },
        { 100, 300, 784, true, false },
        { 16, 1024, 144, false, false },
        { 1600, 40, 300, true, false },
    };

    [Theory]
    [MemberData(nameof(ThreadedSizes))]
    public void Gemm_OneAndTwoThreads_AreBitIdentical(int m, int n, int k, bool transA, bool transB)
    {
        var rng = new Rng(Seed);
        int lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 1;
        float[] a = KernelTestData.Uniform(rng, (transA ? k : m) * lda), b = KernelTestData.Uniform(rng, (transB ? n : k) * ldb);
        float[] c0 = KernelTestData.Uniform(rng, m * ldc);
        int saved = Parallelism.MaxThreads;
        try
        {
            var results = new List<float[]>();
            foreach (int threads in new[] { 1, 2, 1, 3 })
            {
                Parallelism.MaxThreads = threads;
                float[] c = (float[])c0.Clone();
                Sgemm.Gemm(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, c, ldc);
                results.Add(c);
            }

            for (int r = 1; r < results.Count; r++)
            {
                Assert.Equal(BitsOf(results[0]), BitsOf(results[r]));
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void Gemm_ConcurrentCallers_GetTheSameBitsAsAlone()
    {
        const int m = 130, n = 150, k = 300;
        var rng = new Rng(Seed);
        float[] a = KernelTestData.Uniform(rng, m * k), b = KernelTestData.Uniform(rng, k * n);
        float[] alone = new float[m * n];
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 2;
            Sgemm.Gemm(false, false, m, n, k, 1f, a, k, b, n, 0f, alone, n);
            float[][] results = [new float[m * n], new float[m * n], new float[m * n]];
            var callers = results.Select(c => new Thread(() =>
            {
                for (int repeat = 0; repeat < 10; repeat++)
                {
                    Sgemm.Gemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
                }
            })).ToArray();
            foreach (Thread caller in callers)
            {
                caller.Start();
            }

            foreach (Thread caller in callers)
            {
                caller.Join();
            }

            Assert.All(results, c => Assert.Equal(BitsOf(alone), BitsOf(c)));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    /// <summary>
    /// Compares with the naive oracle element by element. The two sum the same k products in
    /// different orders (FMA, K blocks), so they differ by rounding: about eps·√k per partial sum
    /// of size √k·max|a|·max|b| for random signs; the bound below allows 4× that, far below the
    /// error of any indexing or alpha/beta mistake. Padding in C must come back untouched.
    /// </summary>
    private static void CheckAgainstNaive(int m, int n, int k, bool transA, bool transB, float alpha, float beta, int pad)
    {
        var rng = new Rng(Seed + (ulong)(m * 7919 + n * 104729 + k));
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + pad, ldb = bCols + pad + 1, ldc = n + pad;
        float[] a = KernelTestData.Uniform(rng, Math.Max(0, (aRows - 1) * lda + aCols));
        float[] b = KernelTestData.Uniform(rng, Math.Max(0, (bRows - 1) * ldb + bCols));
        float[] expected = KernelTestData.Uniform(rng, (m - 1) * ldc + n);
        if (beta == 0f)
        {
            for (int i = 0; i < m; i++)
            {
                expected.AsSpan(i * ldc, n).Fill(float.NaN);
            }
        }

        float[] actual = (float[])expected.Clone();
        float[] original = (float[])expected.Clone();
        Sgemm.GemmNaive(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        Sgemm.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc);

        float eps = MathF.BitIncrement(1f) - 1f;
        float maxA = MaxAbs(a), maxB = MaxAbs(b);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc && i * ldc + j < actual.Length; j++)
            {
                int at = i * ldc + j;
                if (j >= n)
                {
                    if (BitConverter.SingleToInt32Bits(original[at]) != BitConverter.SingleToInt32Bits(actual[at]))
                    {
                        Assert.Fail($"Padding C[{i},{j}] changed from {original[at]} to {actual[at]}.");
                    }

                    continue;
                }

                float c0 = beta == 0f ? 0f : original[at];
                float tol = 4f * eps * (MathF.Abs(alpha) * k * maxA * maxB + MathF.Abs(beta * c0)) + float.Epsilon;
                float diff = MathF.Abs(actual[at] - expected[at]);
                if (!(diff <= tol))
                {
                    Assert.Fail($"C[{i},{j}] = {actual[at]} but naive gives {expected[at]} (|diff| {diff} > {tol}); m={m} n={n} k={k} transA={transA} transB={transB} alpha={alpha} beta={beta}");
                }
            }
        }
    }


    private static float MaxAbs(float[] data)
    {
        float max = 0f;
        foreach (float v in data)
        {
            max = MathF.Max(max, MathF.Abs(v));
        }

        return max;
    }

    private static int[] BitsOf(float[] data) => Array.ConvertAll(data, BitConverter.SingleToInt32Bits);
}
