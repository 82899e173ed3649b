using System.Diagnostics;
using System.Globalization;

namespace Winnow.Bench;

/// <summary>What the bench suites share: key=value arguments and the fastest-batch timer.</summary>
internal static class BenchCommon
{
    /// <summary>The value of <c>key=value</c> among <paramref name="args"/>, or <paramref name="fallback"/>.</summary>
    public static string Arg(string[] args, string key, string fallback) =>
        args.Where(a => a.StartsWith(key + "=", StringComparison.Ordinal)).Select(a => a[(key.Length + 1)..]).DefaultIfEmpty(fallback).First();

    /// <summary><see cref="Arg"/> parsed as an int (invariant culture).</summary>
    public static int IntArg(string[] args, string key, int fallback) =>
        int.Parse(Arg(args, key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary><see cref="Arg"/> parsed as a double (invariant culture).</summary>
    public static double DoubleArg(string[] args, string key, double fallback) =>
        double.Parse(Arg(args, key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>
    /// Milliseconds per call of the fastest of <paramref name="batches"/> batches of <paramref name="calls"/>
    /// calls, after one warm-up call: short calls are often preempted on a shared machine, and the fastest
    /// batch is the undisturbed cost.
    /// </summary>
    public static double FastestBatchMs(Action call, int batches, int calls)
    {
        call();
        double best = double.MaxValue;
        for (int b = 0; b < batches; b++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                call();
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMilliseconds / calls);
        }

        return best;
    }

    /// <summary>Runs <paramref name="run"/> with <see cref="Kernels.Parallelism.MaxThreads"/> set to <paramref name="threads"/>, restoring it after.</summary>
    public static void WithThreads(int threads, Action run)
    {
        int saved = Kernels.Parallelism.MaxThreads;
        Kernels.Parallelism.MaxThreads = threads;
        try
        {
            run();
        }
        finally
        {
            Kernels.Parallelism.MaxThreads = saved;
        }
    }
}
