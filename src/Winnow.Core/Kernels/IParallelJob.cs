namespace Winnow.Kernels;

/// <summary>
/// A value-type work description whose items can run on any thread: item <c>i</c> writes its own
/// disjoint part of the output. Run with <see cref="Parallelism.For{TJob}(int, in TJob, bool)"/>,
/// which keeps the call allocation-free.
/// </summary>
public interface IParallelJob
{
    /// <summary>Does work item <paramref name="index"/>.</summary>
    void Item(int index);
}
