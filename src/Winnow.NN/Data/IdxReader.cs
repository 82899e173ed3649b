using System.Buffers.Binary;

namespace Winnow.NN.Data;

/// <summary>
/// Reads the IDX files of the MNIST family (MNIST, Fashion-MNIST, KMNIST): big-endian headers, u8
/// payload, raw or gzip-compressed (detected by the 1f 8b magic, not by the extension).
/// Images: magic 0x00000803, then N, rows, columns as big-endian int32, then N·rows·columns bytes
/// (row-major). Labels: magic 0x00000801, then N, then N bytes.
/// </summary>
/// <remarks>Every method throws <see cref="DataException"/> naming the file when it is unreadable, has
/// the wrong magic number (expected vs actual in hex), or is shorter or longer than its header says
/// (expected vs actual byte count, after decompression).</remarks>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file: pixels (N, rows, columns) row-major as bytes 0–255.</summary>
    /// <exception cref="DataException">Unreadable, wrong magic, or truncated/oversized file.</exception>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        using var stream = DataFile.Open(path, out bool gzip);
        int[] dims = ReadHeader(stream, path, gzip, ImagesMagic, 3, "image");
        byte[] pixels = ReadPayload(stream, path, gzip, dims, 16);
        return (pixels, dims[0], dims[1], dims[2]);
    }

    /// <summary>Reads a label file as bytes (N values).</summary>
    /// <exception cref="DataException">Unreadable, wrong magic, or truncated/oversized file.</exception>
    public static byte[] ReadLabelBytes(string path)
    {
        using var stream = DataFile.Open(path, out bool gzip);
        int[] dims = ReadHeader(stream, path, gzip, LabelsMagic, 1, "label");
        return ReadPayload(stream, path, gzip, dims, 8);
    }

    /// <summary>Reads a label file and checks every label lies in [0, <paramref name="classes"/>).</summary>
    /// <exception cref="DataException">As <see cref="ReadLabelBytes"/>, or a label is out of range (the message names its index and value).</exception>
    public static int[] ReadLabels(string path, int classes)
    {
        byte[] raw = ReadLabelBytes(path);
        var labels = new int[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] >= classes)
            {
                throw new DataException($"'{path}': label at index {i} is {raw[i]}, outside [0, {classes}). The file may belong to a different data set.", path);
            }

            labels[i] = raw[i];
        }

        return labels;
    }

    /// <summary>Reads an image file and its label file into a single-channel <see cref="Dataset"/>.</summary>
    /// <exception cref="DataException">Either file is bad, or their counts differ (both paths and counts are named).</exception>
    public static Dataset ReadDataset(string name, string imagesPath, string labelsPath, int classes)
    {
        var (pixels, count, rows, columns) = ReadImages(imagesPath);
        int[] labels = ReadLabels(labelsPath, classes);
        if (labels.Length != count)
        {
            throw new DataException($"Image/label count mismatch: '{imagesPath}' holds {count} images but '{labelsPath}' holds {labels.Length} labels. The two files must come from the same split.", imagesPath);
        }

        return new Dataset(name, pixels, labels, 1, rows, columns, classes);
    }

    private static int[] ReadHeader(Stream stream, string path, bool gzip, int magic, int rank, string kind)
    {
        int headerBytes = 4 + 4 * rank;
        Span<byte> header = stackalloc byte[headerBytes];
        int got = DataFile.ReadFully(stream, header[..4], path);
        if (got < 4)
        {
            throw Truncated(path, gzip, headerBytes, got, "the IDX header");
        }

        int actual = BinaryPrimitives.ReadInt32BigEndian(header);
        if (actual != magic)
        {
            throw new DataException($"'{path}' is not an IDX {kind} file: expected magic 0x{magic:X8}, found 0x{actual:X8}. Check that the file names match their contents (images: *-images-idx3-ubyte, labels: *-labels-idx1-ubyte).", path);
        }

        got = 4 + DataFile.ReadFully(stream, header[4..], path);
        if (got < headerBytes)
        {
            throw Truncated(path, gzip, headerBytes, got, "the IDX header");
        }

        var dims = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header[(4 + 4 * d)..]);
            if (dims[d] < 0)
            {
                throw new DataException($"'{path}': dimension {d} of the IDX header is {dims[d]}; sizes must be ≥ 0. The file is corrupt.", path);
            }
        }

        return dims;
    }

    private static byte[] ReadPayload(Stream stream, string path, bool gzip, int[] dims, int headerBytes)
    {
        long payload = 1;
        foreach (int d in dims)
        {
            payload *= d;
        }

        string shape = string.Join("×", dims);
        if (payload > Array.MaxLength)
        {
            throw new DataException($"'{path}': the header declares {shape} = {DataFile.Bytes(payload)} bytes, more than one array can hold. The file is corrupt.", path);
        }

        var data = new byte[payload];
        int got = DataFile.ReadFully(stream, data, path);
        if (got < payload)
        {
            throw Truncated(path, gzip, headerBytes + payload, headerBytes + got, $"header {headerBytes} + {shape} data bytes");
        }

        long extra = DataFile.CountRemaining(stream, path);
        if (extra > 0)
        {
            throw new DataException($"'{path}' is longer than its header says: expected {DataFile.Bytes(headerBytes + payload)} bytes (header {headerBytes} + {shape}), got {DataFile.Bytes(headerBytes + payload + extra)}{(gzip ? " after gzip decompression" : "")}. The file is corrupt or not an IDX file.", path);
        }

        return data;
    }

    private static DataException Truncated(string path, bool gzip, long expected, long actual, string what) =>
        new($"'{path}' is truncated: expected {DataFile.Bytes(expected)} bytes ({what}), got {DataFile.Bytes(actual)}{(gzip ? " after gzip decompression" : "")}. Download the file again.", path);
}
