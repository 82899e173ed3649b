using System.Reflection;
using Winnow.Cli.Config;
using Winnow.NN.Data;
using Winnow.NN.Serialization;

namespace Winnow.Cli;

/// <summary>Shared CLI plumbing: the version and turning exceptions into actionable messages.</summary>
public static class Cli
{
    public static string Version { get; } = typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The exception's message without .NET's " (Parameter 'x')" suffix, which means nothing to a CLI user.</summary>
    public static string UserMessage(Exception e) =>
        e is ArgumentException { ParamName: { } p } ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;

    /// <summary>
    /// Runs a verb; user errors (bad options, files, data) print one "error: …" line on stderr and
    /// return 2 instead of a stack trace. Bugs still surface with their trace.
    /// </summary>
    public static int Run(Func<int> verb)
    {
        try
        {
            return verb();
        }
        catch (Exception e) when (e is CliException or DataException or SerializationException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"error: {UserMessage(e)}");
            return 2;
        }
    }
}
