using System.IO.Compression;

namespace Winnow.NN.Data;

/// <summary>File helpers shared by the readers: gzip detection, exact reads, raw-or-.gz lookup.</summary>
internal static class DataFile
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Opens <paramref name="path"/> for sequential reading, transparently decompressing it when it
    /// starts with the gzip magic 1f 8b (whatever its extension).
    /// </summary>
    /// <exception cref="DataException">The file cannot be opened.</exception>
    public static Stream Open(string path, out bool gzip) => Open(path, detectGzip: true, out gzip);

    /// <summary>Opens <paramref name="path"/> for sequential reading, decompressing only when <paramref name="detectGzip"/> is set and the magic matches.</summary>
    /// <exception cref="DataException">The file cannot be opened.</exception>
    public static Stream Open(string path, bool detectGzip, out bool gzip)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"Cannot open '{path}': {e.Message}", path, e);
        }

        gzip = false;
        if (!detectGzip)
        {
            return file;
        }

        Span<byte> magic = stackalloc byte[2];
        int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return gzip ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), BufferSize) : file;
    }

    /// <summary>Reads up to <c>buffer.Length</c> bytes; returns how many were read (fewer only at the end).</summary>
    /// <exception cref="DataException">The gzip stream is corrupt or an I/O error occurs.</exception>
    public static int ReadFully(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new DataException($"Cannot read '{path}': {e.Message} The file may be corrupt or an incomplete download; fetch it again.", path, e);
        }
    }

    /// <summary>Counts the bytes left in <paramref name="stream"/> (reading them).</summary>
    public static long CountRemaining(Stream stream, string path)
    {
        var scratch = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = ReadFully(stream, scratch, path)) > 0)
        {
            total += n;
        }

        return total;
    }

    /// <summary>
    /// The path of <paramref name="baseName"/> in <paramref name="directory"/>, raw or with a
    /// <c>.gz</c> suffix (raw preferred), or null when neither exists.
    /// </summary>
    public static string? FindRawOrGzip(string directory, string baseName)
    {
        string raw = Path.Combine(directory, baseName);
        if (File.Exists(raw))
        {
            return raw;
        }

        string gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    /// <summary>Formats a byte count with thousands separators for messages.</summary>
    public static string Bytes(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
