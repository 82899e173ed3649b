namespace Winnow.Cli.Output;

/// <summary>Decides between live progress bars and plain lines.</summary>
public static class ConsoleMode
{
    /// <summary>
    /// True when progress bars make sense: a terminal on stdout and not CI (CI=true or
    /// WINNOW_PLAIN=1 force plain lines).
    /// </summary>
    public static bool Interactive =>
        !Console.IsOutputRedirected
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        && Environment.GetEnvironmentVariable("WINNOW_PLAIN") is null or "" or "0";
}
