namespace Winnow.NN.Serialization;

/// <summary>
/// A file could not be read or applied: it is truncated, corrupt, not in the expected format, or
/// does not fit the objects it is loaded into. The message names the file (<see cref="FilePath"/>),
/// says what was expected and what was found, and suggests what to do.
/// </summary>
public sealed class SerializationException : Exception
{
    /// <summary>Creates an exception with a message that already names the file.</summary>
    public SerializationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message that already names the file, wrapping its cause.</summary>
    public SerializationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception about <paramref name="filePath"/>, wrapping its cause.</summary>
    public SerializationException(string filePath, string message, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file the problem is about, when known.</summary>
    public string? FilePath { get; }
}
