using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Winnow.NN.Data;

/// <summary>
/// Converts one image from bytes (C, H, W) to normalised floats (C, H, W), optionally shifted
/// (random crop with zero padding) and mirrored (see <see cref="SampleAugmentation"/>). Bytes are
/// mapped through a lookup table from <see cref="Normalization.BuildLookup"/> (C·256 floats), so
/// padded pixels take the value of byte 0 — torchvision's pad-then-normalise order. Allocates nothing.
/// </summary>
public static class ImageTransforms
{
    /// <summary>Normalises without augmentation: dst[c, y, x] = lookup[c·256 + image[c, y, x]].</summary>
    /// <exception cref="ArgumentException">The span lengths do not match (C·H·W image and dst, C·256 lookup).</exception>
    public static void Normalize(ReadOnlySpan<byte> image, int channels, ReadOnlySpan<float> lookup, Span<float> dst)
    {
        Check(image, channels, lookup, dst);
        int plane = image.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            MapPlane(image.Slice(c * plane, plane), lookup.Slice(c * 256, 256), dst.Slice(c * plane, plane));
        }
    }

    /// <summary>
    /// Normalises and augments: dst[c, y, x] = lookup[c·256 + image[c, y + ShiftY, x' + ShiftX]] with
    /// x' = W−1−x when flipping, and lookup[c·256 + 0] where the source falls outside the image.
    /// </summary>
    /// <exception cref="ArgumentException">The span lengths do not match (C·H·W image and dst, C·256 lookup).</exception>
    public static void Apply(ReadOnlySpan<byte> image, int channels, int height, int width, ReadOnlySpan<float> lookup, SampleAugmentation augmentation, Span<float> dst)
    {
        if (augmentation == SampleAugmentation.Identity)
        {
            Normalize(image, channels, lookup, dst);
            return;
        }

        Check(image, channels, lookup, dst);
        if (image.Length != channels * height * width)
        {
            throw new ArgumentException($"ImageTransforms.Apply: image has {image.Length} bytes, expected {channels}×{height}×{width}.", nameof(image));
        }

        int plane = height * width;
        int dx = augmentation.ShiftX;
        for (int c = 0; c < channels; c++)
        {
            var table = lookup.Slice(c * 256, 256);
            float pad = table[0];
            for (int y = 0; y < height; y++)
            {
                var row = dst.Slice(c * plane + y * width, width);
                int sy = y + augmentation.ShiftY;
                if ((uint)sy >= (uint)height)
                {
                    row.Fill(pad);
                    continue;
                }

                var src = image.Slice(c * plane + sy * width, width);

                // Output columns [x0, x1) read inside the image; the rest are padding.
                int x0 = augmentation.Flip ? Math.Max(0, dx) : Math.Max(0, -dx);
                int x1 = augmentation.Flip ? Math.Min(width, width + dx) : Math.Min(width, width - dx);
                if (x1 <= x0)
                {
                    row.Fill(pad);
                    continue;
                }

                row[..x0].Fill(pad);
                row[x1..].Fill(pad);
                if (augmentation.Flip)
                {
                    for (int x = x0; x < x1; x++)
                    {
                        row[x] = table[src[width - 1 - x + dx]];
                    }
                }
                else
                {
                    MapPlane(src.Slice(x0 + dx, x1 - x0), table, row[x0..x1]);
                }
            }
        }
    }

    // dst[i] = table[src[i]]; the hot loop of batch assembly (~1 ns per pixel).
    // src: (n) bytes, table: (256) floats -> dst: (n) floats.
    private static void MapPlane(ReadOnlySpan<byte> src, ReadOnlySpan<float> table, Span<float> dst)
    {
        if (table.Length < 256 || dst.Length < src.Length)
        {
            throw new ArgumentException("ImageTransforms: lookup needs 256 entries per channel and dst must be as long as src.");
        }

        // Bounds are checked once above: every byte indexes within the 256-entry table.
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref float t = ref MemoryMarshal.GetReference(table);
        ref float d = ref MemoryMarshal.GetReference(dst);
        int n = src.Length, i = 0;
        for (; i <= n - 4; i += 4)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref t, Unsafe.Add(ref s, i));
            Unsafe.Add(ref d, i + 1) = Unsafe.Add(ref t, Unsafe.Add(ref s, i + 1));
            Unsafe.Add(ref d, i + 2) = Unsafe.Add(ref t, Unsafe.Add(ref s, i + 2));
            Unsafe.Add(ref d, i + 3) = Unsafe.Add(ref t, Unsafe.Add(ref s, i + 3));
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref t, Unsafe.Add(ref s, i));
        }
    }

    private static void Check(ReadOnlySpan<byte> image, int channels, ReadOnlySpan<float> lookup, Span<float> dst)
    {
        if (channels < 1 || image.Length % channels != 0 || dst.Length != image.Length || lookup.Length != channels * 256)
        {
            throw new ArgumentException($"ImageTransforms: image of {image.Length} bytes with {channels} channels needs dst of the same length (got {dst.Length}) and a lookup of {channels}×256 floats (got {lookup.Length}).");
        }
    }
}
