namespace Winnow.Testing;

/// <summary>Seeds shared by tests.</summary>
public static class TestSeeds
{
    /// <summary>The default seed used by tests that do not care which seed they get.</summary>
    public const ulong Default = 1234;
}
