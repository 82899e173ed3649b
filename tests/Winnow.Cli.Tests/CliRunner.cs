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

    /// <summary>Runs the command and fails the test, with its output, unless it exits 0.</summary>
    public static void RunOk(params string[] args)
    {
        var (code, stdout, err) = Run(args);
        Assert.True(code == 0, $"winnow {string.Join(' ', args)} exited {code}: {err}\n{stdout}");
    }

    /// <summary>The repository root (the folder holding Winnow.slnx above the test binaries).</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Winnow.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Winnow.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A run's summary.json.</summary>
    public static System.Text.Json.JsonElement Summary(string runDir) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json"))).RootElement;
}
