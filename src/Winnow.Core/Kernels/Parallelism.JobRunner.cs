namespace Winnow.Kernels;

public static partial class Parallelism
{
    /// <summary>
    /// Runs <paramref name="job"/>'s items [0, <paramref name="count"/>) on at most
    /// <see cref="MaxThreads"/> threads (on the calling thread when <paramref name="parallel"/> is
    /// false). Unlike <see cref="For(int, Action{int})"/> with a capturing lambda it allocates
    /// nothing: each calling thread keeps one cached runner per job type.
    /// </summary>
    public static void For<TJob>(int count, in TJob job, bool parallel = true)
        where TJob : struct, IParallelJob
    {
        if (!parallel || s_maxThreads == 1 || count < 2)
        {
            for (int i = 0; i < count; i++)
            {
                job.Item(i);
            }

            return;
        }

        JobRunner<TJob>.Run(count, job);
    }

    private sealed class JobRunner<TJob>
        where TJob : struct, IParallelJob
    {
        [ThreadStatic] private static JobRunner<TJob>? t_cached;

        private readonly Action<int> _body;
        private TJob _job;
        private bool _busy;

        private JobRunner() => _body = i => _job.Item(i);

        public static void Run(int count, in TJob job)
        {
            // A nested call on the same thread (the cached runner is busy) gets a fresh runner.
            var runner = t_cached is { } cached && !cached._busy ? cached : new JobRunner<TJob>();
            t_cached ??= runner;
            runner._busy = true;
            runner._job = job;
            try
            {
                For(count, runner._body);
            }
            finally
            {
                runner._job = default;
                runner._busy = false;
            }
        }
    }
}
