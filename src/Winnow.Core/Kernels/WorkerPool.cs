using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Winnow.Kernels;

/// <summary>
/// Persistent background threads behind <see cref="Parallelism.For"/>. The calling thread takes part
/// in the work; helpers claim indices from a shared counter, spin briefly after a job (so the next
/// kernel of a training step starts without a wake-up), then sleep. Nothing is allocated per job.
/// </summary>
/// <remarks>
/// One job at a time: a call made while another thread holds the pool, or from inside a job body,
/// returns <c>false</c> and the caller runs the loop inline. That keeps nesting deadlock-free, and
/// kernels stay deterministic because they never depend on which thread ran an index.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>How long an idle helper spins before it blocks (ticks of <see cref="Stopwatch"/>).</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private static readonly Lock s_gate = new();
    private static readonly List<Helper> s_helpers = [];

    [ThreadStatic] private static bool t_inJob;

    // The current job. Written by the caller (holding s_gate) before helpers are posted.
    private static Action<int>? s_body;
    private static int s_count;
    private static int s_next;
    private static int s_errorIndex;
    private static Exception? s_error;
    private static long s_generation;

    // Helpers join a job only while it is open; the caller closes it once every index is claimed and
    // then waits only for helpers that joined, never for one the OS has not scheduled yet.
    private const int Closed = 1 << 30;
    private static int s_state = Closed; // Closed flag | number of helpers inside the job
    private static int s_wanted;         // helpers 0 .. s_wanted-1 may join the current job

    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="count"/>) on the caller plus
    /// <paramref name="threads"/> − 1 helpers. Returns false (running nothing) if the pool is busy.
    /// </summary>
    public static bool TryRun(int count, int threads, Action<int> body)
    {
        if (t_inJob || !s_gate.TryEnter())
        {
            return false;
        }

        try
        {
            int helpers = threads - 1;
            while (s_helpers.Count < helpers)
            {
                s_helpers.Add(new Helper(s_helpers.Count));
            }

            s_body = body;
            s_count = count;
            s_next = 0;
            s_errorIndex = int.MaxValue;
            s_error = null;
            s_wanted = helpers;
            long generation = ++s_generation;
            t_inJob = true;
            Interlocked.Exchange(ref s_state, 0);
            for (int h = 0; h < helpers; h++)
            {
                s_helpers[h].Post(generation);
            }

            Work();
            Interlocked.Or(ref s_state, Closed);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref s_state) != Closed)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            Exception? error = s_error;
            s_body = null;
            s_error = null;
            if (error is not null)
            {
                ExceptionDispatchInfo.Throw(error);
            }

            return true;
        }
        finally
        {
            t_inJob = false;
            s_gate.Exit();
        }
    }

    /// <summary>Claims indices until none are left; records the lowest failing index.</summary>
    private static void Work()
    {
        Action<int> body = s_body!;
        int count = s_count;
        while (true)
        {
            int i = Interlocked.Increment(ref s_next) - 1;
            // Indices are claimed in increasing order, so once past a failure nothing lower remains.
            if (i >= count || i > Volatile.Read(ref s_errorIndex))
            {
                return;
            }

            try
            {
                body(i);
            }
            catch (Exception e)
            {
                lock (s_helpers)
                {
                    if (i < s_errorIndex)
                    {
                        s_errorIndex = i;
                        s_error = e;
                    }
                }
            }
        }
    }

    /// <summary>Enters the current job if it is still open and wants helper <paramref name="index"/>.</summary>
    private static bool TryJoin(int index)
    {
        int state = Volatile.Read(ref s_state);
        while ((state & Closed) == 0)
        {
            int seen = Interlocked.CompareExchange(ref s_state, state + 1, state);
            if (seen == state)
            {
                // A helper posted for an earlier job may wake inside a later, smaller one.
                if (index < s_wanted)
                {
                    return true;
                }

                Interlocked.Decrement(ref s_state);
                return false;
            }

            state = seen;
        }

        return false;
    }

    /// <summary>One helper thread with its own wake-up handshake, so helpers a job does not need stay asleep.</summary>
    private sealed class Helper
    {
        private readonly object _sync = new();
        private readonly int _index;
        private long _posted;
        private int _sleeping;

        public Helper(int index)
        {
            _index = index;
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"Winnow worker {index + 1}",
            };
            thread.Start();
        }

        public void Post(long generation)
        {
            // Full fence, then check for a sleeper: pairs with the fence in Loop so a wake-up is never lost.
            Interlocked.Exchange(ref _posted, generation);
            if (Volatile.Read(ref _sleeping) != 0)
            {
                lock (_sync)
                {
                    Monitor.PulseAll(_sync);
                }
            }
        }

        private void Loop()
        {
            t_inJob = true;
            long seen = 0;
            while (true)
            {
                long start = Stopwatch.GetTimestamp();
                while (Volatile.Read(ref _posted) == seen)
                {
                    if (Stopwatch.GetTimestamp() - start < s_spinTicks)
                    {
                        Thread.SpinWait(30);
                        continue;
                    }

                    lock (_sync)
                    {
                        Interlocked.Exchange(ref _sleeping, 1);
                        while (Volatile.Read(ref _posted) == seen)
                        {
                            Monitor.Wait(_sync);
                        }

                        Volatile.Write(ref _sleeping, 0);
                    }
                }

                seen = Volatile.Read(ref _posted);
                if (TryJoin(_index))
                {
                    Work();
                    Interlocked.Decrement(ref s_state);
                }
            }
        }
    }
}
