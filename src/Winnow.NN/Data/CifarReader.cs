namespace Winnow.NN.Data;

/// <summary>
/// Reads the binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky, 2009,
/// https://www.cs.toronto.edu/~kriz/cifar.html). Each record is the label byte(s) followed by
/// 3072 pixel bytes in CHW order (1024 red, 1024 green, 1024 blue; each plane 32×32 row-major).
/// CIFAR-10 records are 1 + 3072 = 3073 bytes; CIFAR-100 records are coarse label, fine label,
/// 3072 pixels = 3074 bytes, and the fine label (0–99) is used.
/// </summary>
/// <remarks>Throws <see cref="DataException"/> naming the file when it cannot be read, when its size is
/// not a multiple of the record size (file, record size and actual size are named), or when a label
/// is out of range (record index and value are named).</remarks>
public static class CifarReader
{
    /// <summary>Bytes of pixels per image: 3 channels × 32 × 32.</summary>
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>Bytes per CIFAR-10 record (label + pixels).</summary>
    public const int Cifar10RecordBytes = 1 + ImageBytes;

    /// <summary>Bytes per CIFAR-100 record (coarse label + fine label + pixels).</summary>
    public const int Cifar100RecordBytes = 2 + ImageBytes;

    /// <summary>Reads and concatenates CIFAR-10 batch files into a (N, 3, 32, 32) data set with 10 classes.</summary>
    /// <exception cref="DataException">A file is unreadable, truncated, or holds a label ≥ 10.</exception>
    public static Dataset ReadCifar10(string name, params string[] paths) => Read(name, paths, Cifar10RecordBytes, labelOffset: 0, classes: 10);

    /// <summary>Reads and concatenates CIFAR-100 files into a (N, 3, 32, 32) data set with the 100 fine classes.</summary>
    /// <exception cref="DataException">A file is unreadable, truncated, or holds a fine label ≥ 100.</exception>
    public static Dataset ReadCifar100(string name, params string[] paths) => Read(name, paths, Cifar100RecordBytes, labelOffset: 1, classes: 100);

    private static Dataset Read(string name, string[] paths, int recordBytes, int labelOffset, int classes)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var sizes = new long[paths.Length];
        long records = 0;
        for (int f = 0; f < paths.Length; f++)
        {
            sizes[f] = FileSize(paths[f]);
            if (sizes[f] % recordBytes != 0)
            {
                throw new DataException($"'{paths[f]}' is truncated or not a CIFAR binary file: its size {DataFile.Bytes(sizes[f])} bytes is not a multiple of the record size {recordBytes} ({DataFile.Bytes(sizes[f] / recordBytes)} whole records + {sizes[f] % recordBytes} bytes). Download the binary version again.", paths[f]);
            }

            records += sizes[f] / recordBytes;
        }

        if (records * ImageBytes > Array.MaxLength)
        {
            throw new DataException($"The CIFAR files hold {records} images, more than one array can hold.", paths[0]);
        }

        var pixels = new byte[records * ImageBytes];
        var labels = new int[records];
        var buffer = new byte[recordBytes * 1024];
        int n = 0;
        for (int f = 0; f < paths.Length; f++)
        {
            using var stream = DataFile.Open(paths[f], detectGzip: false, out _);
            long left = sizes[f] / recordBytes;
            int recordInFile = 0;
            while (left > 0)
            {
                int chunk = (int)Math.Min(left, 1024);
                int want = chunk * recordBytes;
                int got = DataFile.ReadFully(stream, buffer.AsSpan(0, want), paths[f]);
                if (got < want)
                {
                    throw new DataException($"'{paths[f]}' shrank while being read: expected {DataFile.Bytes(sizes[f])} bytes.", paths[f]);
                }

                for (int r = 0; r < chunk; r++, n++, recordInFile++)
                {
                    var record = buffer.AsSpan(r * recordBytes, recordBytes);
                    int label = record[labelOffset];
                    if (label >= classes)
                    {
                        throw new DataException($"'{paths[f]}': label of record {recordInFile} is {label}, outside [0, {classes}). The file may belong to a different data set (CIFAR-10 vs CIFAR-100).", paths[f]);
                    }

                    labels[n] = label;
                    record[(labelOffset + 1)..].CopyTo(pixels.AsSpan(n * ImageBytes, ImageBytes));
                }

                left -= chunk;
            }
        }

        return new Dataset(name, pixels, labels, 3, 32, 32, classes);
    }

    private static long FileSize(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"Cannot read '{path}': {e.Message}", path, e);
        }
    }
}
