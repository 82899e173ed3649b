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

    /// <summary>
    /// Kernels keep one job object per thread and rewrite it right after <see cref="Parallelism.For"/>
    /// returns. So For must return only once every index has finished, and a helper that wakes late
    /// (posted for an earlier, larger call) must never run an index of a call that has returned.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void For_NoIndexRunsOutsideItsCall_WhenJobStateChangesBetweenCalls(int threads)
    {
        WithThreads(threads, () =>
        {
            var job = new ReusedJob();
            for (int pass = 0; pass < 3000; pass++)
            {
                // Alternate sizes so helpers posted for one call meet the next, smaller one.
                int count = pass % 3 == 0 ? 1 + pass % 7 : 2 + pass % 2;
                int[] hits = job.Prepare(pass, count);
                Parallelism.For(count, job.Body);
                job.Close();
                Assert.All(hits, h => Assert.Equal(1, h));
            }

            Thread.Sleep(20); // a straggler would run now, after the last call returned
            Assert.Equal(0, job.Violations);
        });
    }

    [Fact]
    public void MaxThreads_BelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
    }

    /// <summary>Shaped like a kernel's per-thread job: one delegate, fields rewritten for every call.</summary>
    private sealed class ReusedJob
    {
        private int _pass = -1;
        private int[] _hits = [];
        private int _violations;

        public ReusedJob() => Body = Execute;

        public Action<int> Body { get; }

        public int Violations => Volatile.Read(ref _violations);

        public int[] Prepare(int pass, int count)
        {
            _hits = new int[count];
            Volatile.Write(ref _pass, pass);
            return _hits;
        }

        /// <summary>Marks the job finished; any index that runs from now on is a violation.</summary>
        public void Close() => Volatile.Write(ref _pass, -1);

        private void Execute(int i)
        {
            int pass = Volatile.Read(ref _pass);
            int[] hits = _hits;
            if (pass < 0 || i >= hits.Length)
            {
                Interlocked.Increment(ref _violations);
                return;
            }

            Interlocked.Increment(ref hits[i]);
            Thread.SpinWait(20 * (i + 1));
            if (Volatile.Read(ref _pass) != pass)
            {
                Interlocked.Increment(ref _violations);
            }
        }
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
