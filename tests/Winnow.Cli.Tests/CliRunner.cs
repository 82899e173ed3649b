namespace Winnow.Cli.Tests;

/// <summary>Runs the `winnow` root command in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Out, string Err) Run(params string[] args)
    {
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        string? oldPlain = Environment.GetEnvironmentVariable("WINNOW_PLAIN");
        Environment.SetEnvironmentVariable("WINNOW_PLAIN", "1");
        try
        {
            var config = new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr };
            int code = CliApp.Root().Parse(args).Invoke(config);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Environment.SetEnvironmentVariable("WINNOW_PLAIN", oldPlain);
        }
    }
}
