using System.Text.Json;

namespace Winnow.Cli.Tests;

/// <summary>Shared set-up of the prune/lottery/info tests: the tiny dataset, a runs folder and the standard flags.</summary>
public abstract class SparsityRuns : IDisposable
{
    protected string Data { get; } = TinyIdx.Create();

    protected string Runs { get; } = Path.Combine(Path.GetTempPath(), "winnow-sparse-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Directory.Delete(Data, true);
        if (Directory.Exists(Runs))
        {
            Directory.Delete(Runs, true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>`winnow VERB` with the small-run flags; pairs in <paramref name="overrides"/> replace or add flags ("--flag", "value"; value null for a switch).</summary>
    protected string[] Args(string verb, string outName, params string?[] overrides)
    {
        var flags = new List<(string Name, string? Value)>
        {
            ("--model", "lenet300"), ("--data", Data), ("--epochs", "1"), ("--batch-size", "50"), ("--lr", "0.05"), ("--seed", "3"), ("--out", Dir(outName)),
        };
        for (int i = 0; i < overrides.Length; i += 2)
        {
            flags.RemoveAll(f => f.Name == overrides[i]);
            if (overrides[i + 1] != "<drop>")
            {
                flags.Add((overrides[i]!, overrides[i + 1]));
            }
        }

        return [verb, .. flags.SelectMany(f => f.Value is null ? new[] { f.Name } : [f.Name, f.Value])];
    }

    protected string Dir(string name) => Path.Combine(Runs, name);

    protected static (int ExitCode, string Out, string Err) Ok(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}\n{r.Out}");
        return r;
    }

    /// <summary>Asserts exit code 2 with one clean `error: …` containing every fragment, and returns stderr.</summary>
    protected static string Fails(string[] args, params string[] fragments)
    {
        var (code, output, err) = CliRunner.Run(args);
        Assert.True(code == 2, $"exit {code}: {err}\n{output}");
        Assert.StartsWith("error: ", err);
        Assert.DoesNotContain("   at ", err);
        foreach (var f in fragments)
        {
            Assert.Contains(f, err);
        }

        return err;
    }

    protected static JsonElement Json(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }
}
