namespace Winnow.NN.Tests.Data;

/// <summary>Tests that set process environment variables (WINNOW_DATA) run one at a time, never beside other tests.</summary>
[CollectionDefinition("Environment", DisableParallelization = true)]
public sealed class EnvironmentCollection
{
}
