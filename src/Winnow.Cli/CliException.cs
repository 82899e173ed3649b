namespace Winnow.Cli;

/// <summary>A user-facing error: printed as a message (no stack trace) with exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
