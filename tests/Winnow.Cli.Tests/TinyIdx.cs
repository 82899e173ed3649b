using System.IO.Compression;

namespace Winnow.Cli.Tests;

/// <summary>
/// Writes a small, learnable MNIST-format dataset: class c lights up a different 7×7 block of
/// the 28×28 image, with noise, so a short training run must reach high accuracy.
/// </summary>
internal static class TinyIdx
{
    public static string Create(int train = 600, int test = 200, ulong seed = 5)
    {
        string dir = Path.Combine(Path.GetTempPath(), "winnow-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var rng = new Rng(seed);
        Write(dir, "train", train, rng);
        Write(dir, "t10k", test, rng);
        return dir;
    }

    private static void Write(string dir, string prefix, int count, Rng rng)
    {
        var images = new byte[count * 784];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int c = rng.NextInt(10);
            labels[i] = (byte)c;
            int by = c / 4 * 7, bx = c % 4 * 7;
            for (int p = 0; p < 784; p++)
            {
                int y = p / 28, x = p % 28;
                bool on = y >= by && y < by + 7 && x >= bx && x < bx + 7;
                images[i * 784 + p] = (byte)Math.Clamp((on ? 200 : 20) + rng.NextInt(40) - 20, 0, 255);
            }
        }

        WriteIdx(Path.Combine(dir, $"{prefix}-images-idx3-ubyte.gz"), 0x803, [count, 28, 28], images);
        WriteIdx(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte.gz"), 0x801, [count], labels);
    }

    public static void WriteIdx(string path, int magic, int[] dims, byte[] body)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        void BigEndian(int v) => gz.Write([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        BigEndian(magic);
        foreach (int d in dims)
        {
            BigEndian(d);
        }

        gz.Write(body);
    }
}
