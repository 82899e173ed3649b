namespace Winnow.NN.Data;

/// <summary>
/// The augmentation drawn for one sample: output pixel (y, x) reads source pixel
/// (y + <see cref="ShiftY"/>, x' + <see cref="ShiftX"/>) where x' = W−1−x when <see cref="Flip"/>
/// is set and x otherwise; sources outside the image are black (byte 0). A shift of s corresponds
/// to torchvision's crop offset s + padding in the padded image.
/// </summary>
public readonly record struct SampleAugmentation(int ShiftY, int ShiftX, bool Flip)
{
    private const ulong AugmentStream = 0xA0761D6478BD642FUL;

    /// <summary>No shift, no flip.</summary>
    public static SampleAugmentation Identity => default;

    /// <summary>
    /// Draws the augmentation of the sample at <paramref name="position"/> (0-based, within the
    /// epoch's order) of epoch <paramref name="epoch"/>: h = mix(mix(mix(seed ⊕ stream) + epoch) + position)
    /// with SplitMix64's finaliser as mix; ShiftY from h's low 32 bits and ShiftX from bits 32–62,
    /// each uniform in [−padding, padding] (multiply-shift), Flip from bit 63 (p = 0.5). Depends only
    /// on its arguments, so results never depend on prefetch timing and an epoch can be replayed.
    /// </summary>
    public static SampleAugmentation Draw(AugmentOptions options, ulong seed, int epoch, long position)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsNone)
        {
            return default;
        }

        ulong h = Mix(Mix(Mix(seed ^ AugmentStream) + (ulong)epoch) + (ulong)position);
        int p = options.CropPadding;
        ulong range = (ulong)(2 * p + 1);
        int shiftY = (int)(((h & 0xFFFF_FFFFUL) * range) >> 32) - p;
        int shiftX = (int)((((h >> 32) & 0x7FFF_FFFFUL) * range) >> 31) - p;
        bool flip = options.Flip && (h >> 63) != 0;
        return new SampleAugmentation(shiftY, shiftX, flip);
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
