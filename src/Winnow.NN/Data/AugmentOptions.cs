namespace Winnow.NN.Data;

/// <summary>
/// Training-time augmentation, as torchvision's <c>RandomCrop(size, padding=CropPadding)</c> then
/// <c>RandomHorizontalFlip(p=0.5)</c> on the raw image, before normalisation: the image is padded
/// with black (byte 0) on every side, a window of the original size is cut at a uniformly random
/// offset in [0, 2·padding] per axis, and is mirrored left–right with probability 0.5. Padded
/// pixels therefore become <c>(0 − mean)/std</c> after normalisation.
/// </summary>
/// <remarks>The CIFAR recipe is <see cref="Cifar"/> (padding 4, flip). Randomness is drawn per sample
/// from (seed, epoch, position) by <see cref="SampleAugmentation.Draw"/>.</remarks>
public sealed record AugmentOptions
{
    private readonly int _cropPadding;

    /// <summary>No augmentation.</summary>
    public static AugmentOptions None { get; } = new();

    /// <summary>The standard CIFAR recipe: random crop with padding 4 and random horizontal flip.</summary>
    public static AugmentOptions Cifar { get; } = new() { CropPadding = 4, Flip = true };

    /// <summary>Zero padding in pixels for the random crop (0 = no crop).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int CropPadding
    {
        get => _cropPadding;
        init
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(CropPadding), value, "AugmentOptions.CropPadding must be ≥ 0 (pixels of zero padding, e.g. 4 for CIFAR).");
            }

            _cropPadding = value;
        }
    }

    /// <summary>Whether to mirror each image left–right with probability 0.5.</summary>
    public bool Flip { get; init; }

    /// <summary>True when no augmentation is applied.</summary>
    public bool IsNone => _cropPadding == 0 && !Flip;
}
