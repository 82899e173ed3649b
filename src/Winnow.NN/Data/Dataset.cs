namespace Winnow.NN.Data;

/// <summary>
/// An in-memory labelled image set. Pixels are stored as bytes 0–255 in (N, C, H, W) order, one
/// image of <see cref="ImageSize"/> = C·H·W bytes after another; labels are ints in
/// [0, <see cref="Classes"/>). Immutable: <see cref="Subset"/> and <see cref="SplitValidation(int, ulong)"/>
/// copy. Conversion to floats (normalisation, augmentation) happens when a
/// <see cref="DataLoader"/> assembles a batch.
/// </summary>
public sealed class Dataset
{
    private readonly byte[] _pixels;
    private readonly int[] _labels;

    /// <summary>Wraps <paramref name="pixels"/> (N·C·H·W bytes) and <paramref name="labels"/> (N ints) without copying.</summary>
    /// <exception cref="ArgumentException">A size is not positive, the array lengths disagree with the shape, or a label is outside [0, classes).</exception>
    public Dataset(string name, byte[] pixels, int[] labels, int channels, int height, int width, int classes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (channels < 1 || height < 1 || width < 1 || classes < 1)
        {
            throw new ArgumentException($"Dataset '{name}': channels ({channels}), height ({height}), width ({width}) and classes ({classes}) must all be ≥ 1.");
        }

        long imageSize = (long)channels * height * width;
        if (pixels.LongLength != labels.LongLength * imageSize)
        {
            throw new ArgumentException($"Dataset '{name}': {labels.Length} labels need {labels.LongLength * imageSize} pixel bytes for images of {channels}×{height}×{width}, got {pixels.LongLength}.", nameof(pixels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentException($"Dataset '{name}': label at index {i} is {labels[i]}, outside [0, {classes}).", nameof(labels));
            }
        }

        Name = name;
        _pixels = pixels;
        _labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        Classes = classes;
    }

    /// <summary>Name used in reports (e.g. <c>fashion-mnist/train</c>).</summary>
    public string Name { get; }

    /// <summary>Number of images N.</summary>
    public int Count => _labels.Length;

    /// <summary>Channels C (1 for the MNIST family, 3 for CIFAR).</summary>
    public int Channels { get; }

    /// <summary>Image height H in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width W in pixels.</summary>
    public int Width { get; }

    /// <summary>Number of classes; labels lie in [0, Classes).</summary>
    public int Classes { get; }

    /// <summary>Bytes per image: C·H·W.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>All pixels, (N, C, H, W) bytes.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>All labels, N ints.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The pixels of image <paramref name="index"/>, (C, H, W) bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Count).</exception>
    public ReadOnlySpan<byte> Image(int index)
    {
        CheckIndex(index);
        return new ReadOnlySpan<byte>(_pixels, index * ImageSize, ImageSize);
    }

    /// <summary>The label of image <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Count).</exception>
    public int Label(int index)
    {
        CheckIndex(index);
        return _labels[index];
    }

    /// <summary>How many images each class has (length <see cref="Classes"/>).</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (int label in _labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>A copy holding the images at <paramref name="indices"/>, in that order (repeats allowed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, Count).</exception>
    public Dataset Subset(int[] indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int size = ImageSize;
        var pixels = new byte[(long)indices.Length * size];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int src = indices[i];
            if ((uint)src >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Subset of '{Name}': indices[{i}] = {src} is outside [0, {Count}).");
            }

            _pixels.AsSpan(src * size, size).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = _labels[src];
        }

        return new Dataset(name ?? Name, pixels, labels, Channels, Height, Width, Classes);
    }

    /// <summary>
    /// Holds out <paramref name="count"/> images for validation, chosen uniformly at random by an
    /// <see cref="Rng"/> seeded with <paramref name="seed"/> (a Fisher–Yates shuffle of 0..N−1, the first
    /// <paramref name="count"/> go to validation). Both parts keep the original relative order, so
    /// the split depends only on (N, count, seed). Names get a <c>/train</c> and <c>/val</c> suffix.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in [1, Count − 1].</exception>
    public (Dataset Train, Dataset Validation) SplitValidation(int count, ulong seed)
    {
        if (count < 1 || count >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"SplitValidation of '{Name}': the validation size must be in [1, {Count - 1}] so both parts are non-empty.");
        }

        var order = new int[Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new Rng(seed).Shuffle(order.AsSpan());
        int[] val = order[..count];
        int[] train = order[count..];
        Array.Sort(val);
        Array.Sort(train);
        return (Subset(train, Name + "/train"), Subset(val, Name + "/val"));
    }

    /// <summary>
    /// Holds out round(<paramref name="fraction"/>·N) images for validation; see
    /// <see cref="SplitValidation(int, ulong)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1) or leaves a part empty.</exception>
    public (Dataset Train, Dataset Validation) SplitValidation(double fraction, ulong seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"SplitValidation of '{Name}': the validation fraction must be in (0, 1), e.g. 0.1.");
        }

        return SplitValidation((int)Math.Round(fraction * Count, MidpointRounding.AwayFromZero), seed);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Count} images of {Channels}×{Height}×{Width}, {Classes} classes";

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Image index {index} is outside [0, {Count}) of '{Name}'.");
        }
    }
}
