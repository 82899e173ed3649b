namespace Winnow.Kernels;

/// <summary>
/// The engine's one knob for multi-threading. Every parallel kernel splits its work over output
/// elements (rows, tiles, channels) so that each sum is computed by one thread in a fixed order:
/// results are bit-identical for any value of <see cref="MaxThreads"/>.
/// </summary>
/// <remarks>
/// Work runs on a small pool of persistent background threads plus the calling thread (see
/// <see cref="WorkerPool"/>): a call costs a few microseconds and allocates nothing, so kernels can
/// afford to parallelise medium-sized work. Nested calls, and calls made while another thread is
/// using the pool, run inline on the calling thread.
/// </remarks>
public static partial class Parallelism
{
    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>Upper bound on worker threads used by kernels (default: all cores). Must be ≥ 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Parallelism.MaxThreads must be at least 1 (use 1 to run every kernel on the calling thread).");
            }

            s_maxThreads = value;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [0, <paramref name="count"/>) on at most
    /// <see cref="MaxThreads"/> threads. Indices are independent work items; the caller guarantees
    /// each writes a disjoint part of the output.
    /// </summary>
    /// <remarks>
    /// If bodies throw, the exception of the lowest failing index is rethrown (as it would be on one
    /// thread); indices above a failed one may be skipped.
    /// </remarks>
    public static void For(int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0)
        {
            return;
        }

        int threads = Math.Min(s_maxThreads, count);
        if (threads == 1 || !WorkerPool.TryRun(count, threads, body))
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }
        }
    }
}
