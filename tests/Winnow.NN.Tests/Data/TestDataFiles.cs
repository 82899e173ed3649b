using System.Buffers.Binary;
using System.IO.Compression;

namespace Winnow.NN.Tests.Data;

/// <summary>Writes small IDX and CIFAR files (raw or gzip) with known contents.</summary>
internal static class TestDataFiles
{
    public static readonly string[] IdxFiles =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Deterministic pixels: byte i of the block is (i·7 + salt) mod 256.</summary>
    public static byte[] Pixels(int length, int salt = 0)
    {
        var p = new byte[length];
        for (int i = 0; i < length; i++)
        {
            p[i] = (byte)((i * 7 + salt) % 256);
        }

        return p;
    }

    /// <summary>Labels i mod classes.</summary>
    public static byte[] Labels(int count, int classes, int salt = 0)
    {
        var l = new byte[count];
        for (int i = 0; i < count; i++)
        {
            l[i] = (byte)((i + salt) % classes);
        }

        return l;
    }

    public static byte[] IdxImages(byte[] pixels, int count, int rows, int columns, int magic = 0x803)
    {
        var bytes = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        pixels.CopyTo(bytes, 16);
        return bytes;
    }

    public static byte[] IdxLabels(byte[] labels, int magic = 0x801)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>Writes <paramref name="content"/>, gzip-compressed when asked; returns the path.</summary>
    public static string Write(string path, byte[] content, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, content);
            return path;
        }

        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(content);
        return path;
    }

    /// <summary>Writes a full IDX data set (train and t10k) into <paramref name="dir"/>; names get .gz when gzipped.</summary>
    public static void WriteIdxSet(string dir, int trainCount, int testCount, bool gzip, int size = 28, int classes = 10)
    {
        string ext = gzip ? ".gz" : "";
        Write(Path.Combine(dir, "train-images-idx3-ubyte" + ext), IdxImages(Pixels(trainCount * size * size), trainCount, size, size), gzip);
        Write(Path.Combine(dir, "train-labels-idx1-ubyte" + ext), IdxLabels(Labels(trainCount, classes)), gzip);
        Write(Path.Combine(dir, "t10k-images-idx3-ubyte" + ext), IdxImages(Pixels(testCount * size * size, 3), testCount, size, size), gzip);
        Write(Path.Combine(dir, "t10k-labels-idx1-ubyte" + ext), IdxLabels(Labels(testCount, classes, 1)), gzip);
    }

    /// <summary>Creates empty placeholder files (enough for <c>Locate</c>, which checks existence only).</summary>
    public static void Touch(string dir, IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            File.WriteAllBytes(Path.Combine(dir, name), []);
        }
    }

    /// <summary>CIFAR records: label byte(s) then 3072 pixel bytes; <paramref name="coarse"/> non-null makes CIFAR-100 records.</summary>
    public static byte[] CifarRecords(byte[] labels, byte[] pixels, byte[]? coarse = null)
    {
        int labelBytes = coarse is null ? 1 : 2;
        int record = labelBytes + 3072;
        var bytes = new byte[labels.Length * record];
        for (int i = 0; i < labels.Length; i++)
        {
            if (coarse is not null)
            {
                bytes[i * record] = coarse[i];
            }

            bytes[i * record + labelBytes - 1] = labels[i];
            pixels.AsSpan(i * 3072, 3072).CopyTo(bytes.AsSpan(i * record + labelBytes));
        }

        return bytes;
    }
}
