namespace Winnow.NN.Tests;

/// <summary>Tests that change the global <see cref="Winnow.Kernels.Parallelism.MaxThreads"/> run one at a time.</summary>
[CollectionDefinition("Parallelism", DisableParallelization = true)]
public sealed class ParallelismCollection
{
}
