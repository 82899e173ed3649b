namespace Winnow.NN.Data;

/// <summary>
/// Per-channel normalisation as torchvision's <c>ToTensor()</c> then <c>Normalize(mean, std)</c>:
/// a byte x in channel c becomes <c>(x/255 − Mean[c]) / Std[c]</c>, computed in float32.
/// </summary>
public sealed record Normalization
{
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <summary>Creates the normalisation; one mean and one standard deviation per channel.</summary>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, a value is not finite, or a std is not positive.</exception>
    public Normalization(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"Normalization needs one mean and one std per channel; got {mean.Count} means and {std.Count} stds.", nameof(std));
        }

        for (int c = 0; c < mean.Count; c++)
        {
            if (!float.IsFinite(mean[c]) || !float.IsFinite(std[c]) || std[c] <= 0)
            {
                throw new ArgumentException($"Normalization channel {c}: mean {mean[c]} must be finite and std {std[c]} finite and > 0.", nameof(std));
            }
        }

        _mean = [.. mean];
        _std = [.. std];
    }

    /// <summary>Per-channel means (of pixel values scaled to [0, 1]).</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>Per-channel standard deviations (of pixel values scaled to [0, 1]).</summary>
    public IReadOnlyList<float> Std => _std;

    /// <summary>Number of channels.</summary>
    public int Channels => _mean.Length;

    /// <summary>Only scales to [0, 1] (mean 0, std 1 in every channel), like <c>ToTensor()</c> alone.</summary>
    public static Normalization Identity(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        return new Normalization(new float[channels], Enumerable.Repeat(1f, channels).ToArray());
    }

    /// <summary>The normalised value of byte <paramref name="value"/> in channel <paramref name="channel"/>.</summary>
    public float Apply(byte value, int channel) => (value / 255f - _mean[channel]) / _std[channel];

    /// <summary>
    /// A lookup table of C·256 floats: entry <c>c·256 + x</c> is <see cref="Apply"/>(x, c). Batch
    /// assembly maps bytes through it, so every path (plain, cropped, flipped) gives identical values.
    /// </summary>
    public float[] BuildLookup()
    {
        var table = new float[Channels * 256];
        for (int c = 0; c < Channels; c++)
        {
            for (int x = 0; x < 256; x++)
            {
                table[c * 256 + x] = Apply((byte)x, c);
            }
        }

        return table;
    }

    /// <inheritdoc/>
    public bool Equals(Normalization? other) =>
        other is not null && _mean.AsSpan().SequenceEqual(other._mean) && _std.AsSpan().SequenceEqual(other._std);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (int c = 0; c < _mean.Length; c++)
        {
            hash.Add(_mean[c]);
            hash.Add(_std[c]);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => $"mean ({string.Join(", ", _mean)}) std ({string.Join(", ", _std)})";
}
