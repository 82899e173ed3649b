namespace Winnow.Cli.Tests;

/// <summary>CLI tests redirect the process-wide console and environment, so they run one at a time.</summary>
[CollectionDefinition("Cli", DisableParallelization = true)]
public sealed class CliCollection
{
}
