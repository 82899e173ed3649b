namespace Winnow.Core.Tests.Kernels;

/// <summary><see cref="Parallelism.For"/>: every index once, exceptions as on one thread, nesting and concurrent callers.</summary>
[Collection("Parallelism")]
public sealed class ParallelismTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 1000)]
    [InlineData(3, 17)]
    [InlineData(8, 5)]
    public void For_RunsEveryIndexExactlyOnce(int threads, int count)
    {
        WithThreads(threads, () =>
        {
            for (int repeat = 0; repeat < 50; repeat++)
            {
                int[] hits = new int[count];
                Parallelism.For(count, i => Interlocked.Increment(ref hits[i]));
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        });
    }

    [Fact]
    public void For_ZeroCount_DoesNotCallBody()
    {
        Parallelism.For(0, _ => throw new InvalidOperationException("must not run"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void For_RethrowsTheLowestFailingIndex(int threads)
    {
        WithThreads(threads, () =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                var error = Assert.Throws<InvalidOperationException>(() => Parallelism.For(64, i =>
                {
                    if (i == 5 || i == 40)
                    {
                        throw new InvalidOperationException($"index {i}");
                    }
                }));
                Assert.Equal("index 5", error.Message);
            }

            // The pool is usable again after a failure.
            int sum = 0;
            Parallelism.For(10, i => Interlocked.Add(ref sum, i));
            Assert.Equal(45, sum);
        });
    }

    [Fact]
    public void For_Nested_RunsInline()
    {
        WithThreads(2, () =>
        {
            int[] hits = new int[8 * 8];
            Parallelism.For(8, i => Parallelism.For(8, j => Interlocked.Increment(ref hits[i * 8 + j])));
            Assert.All(hits, h => Assert.Equal(1, h));
        });
    }

    [Fact]
    public void For_ConcurrentCallers_EachCompleteTheirWork()
    {
        WithThreads(2, () =>
        {
            long[] totals = new long[4];
            var callers = Enumerable.Range(0, totals.Length).Select(t => new Thread(() =>
            {
                for (int repeat = 0; repeat < 200; repeat++)
                {
                    Parallelism.For(16, i => Interlocked.Add(ref totals[t], i));
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

            Assert.All(totals, total => Assert.Equal(200L * 120, total));
        });
    }

    [Fact]
    public void MaxThreads_BelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
    }

    private static void WithThreads(int threads, Action action)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            action();
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
