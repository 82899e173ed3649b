using System.Text;

namespace Winnow.NN.Serialization;

/// <summary>
/// Writes files so that readers and crashes only ever see the old or the new content, never a mix.
/// The content goes to a temporary file <c>.{name}.{guid}.tmp</c> in the target's directory, is
/// flushed to disk, then renamed over the target (<see cref="File.Move(string, string, bool)"/>,
/// an atomic <c>rename(2)</c> on POSIX and <c>MoveFileEx(REPLACE_EXISTING)</c> on Windows). On an
/// exception the temporary file is deleted; if the process is killed outright (SIGKILL, power loss)
/// the previous file is still intact and a stale <c>.*.tmp</c> file may remain, safe to delete.
/// </summary>
/// <remarks>
/// The target's directory is created if missing. Exceptions: <see cref="ArgumentException"/> for an
/// empty path or one naming a directory; I/O errors (<see cref="IOException"/>,
/// <see cref="UnauthorizedAccessException"/>) and any exception thrown by the caller's writer
/// propagate unchanged after the temporary file is removed.
/// </remarks>
public static class AtomicFile
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Replaces <paramref name="path"/> atomically with what <paramref name="write"/> writes to the stream.</summary>
    /// <exception cref="ArgumentException">The path is empty or names a directory.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = FullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Replaces <paramref name="path"/> atomically with <paramref name="text"/> in UTF-8 (no byte-order mark).</summary>
    /// <exception cref="ArgumentException">The path is empty or names a directory.</exception>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = s_utf8.GetBytes(text);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>
    /// Appends whole lines (each followed by <c>\n</c>, UTF-8) to an append-only log such as
    /// <c>metrics.jsonl</c>, creating it if needed, in one write followed by a flush to disk. This is
    /// not atomic by rename: a crash during the write can leave a torn last line, which log readers
    /// should skip; earlier lines are never touched.
    /// </summary>
    /// <exception cref="ArgumentException">A line contains a line break (it would split a record), or the path is invalid.</exception>
    public static void AppendLines(string path, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        string full = FullPath(path);
        var text = new StringBuilder();
        int index = 0;
        foreach (var line in lines)
        {
            ArgumentNullException.ThrowIfNull(line, nameof(lines));
            if (line.AsSpan().IndexOfAny('\n', '\r') >= 0)
            {
                throw new ArgumentException(
                    $"AtomicFile.AppendLines('{full}'): line {index} contains a line break, which would split one record into two. Serialise each record on one line (JSON escapes newlines as \\n).",
                    nameof(lines));
            }

            text.Append(line).Append('\n');
            index++;
        }

        if (index == 0)
        {
            return;
        }

        byte[] bytes = s_utf8.GetBytes(text.ToString());
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var stream = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static string FullPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (Path.EndsInDirectorySeparator(full) || Directory.Exists(full))
        {
            throw new ArgumentException($"'{full}' names a directory; pass the path of a file to write.", nameof(path));
        }

        return full;
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
