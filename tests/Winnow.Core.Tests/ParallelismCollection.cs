namespace Winnow.Core.Tests;

/// <summary>
/// Tests that change the process-wide <see cref="Parallelism.MaxThreads"/> run in this collection,
/// one at a time and never beside another collection.
/// </summary>
[CollectionDefinition("Parallelism", DisableParallelization = true)]
public sealed class ParallelismCollection
{
}
