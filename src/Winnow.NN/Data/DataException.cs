namespace Winnow.NN.Data;

/// <summary>
/// A data set could not be found or read: a file has the wrong magic number, is truncated, holds
/// labels out of range, or no location holds the data set. The message names the file (or every
/// place looked at) together with the expected and actual values, and says what to do.
/// </summary>
public sealed class DataException : Exception
{
    /// <summary>Creates the exception with an actionable message.</summary>
    public DataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the I/O or decompression error that caused it.</summary>
    public DataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem in one file.</summary>
    public DataException(string message, string filePath, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file the problem was found in, when there is one.</summary>
    public string? FilePath { get; }
}
