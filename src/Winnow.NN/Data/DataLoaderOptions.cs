namespace Winnow.NN.Data;

/// <summary>
/// How a <see cref="DataLoader"/> orders, transforms and prefetches batches. Defaults: shuffled,
/// last short batch kept, seed 0, plain scaling to [0, 1] (no normalisation), no augmentation,
/// 2 batches prefetched on a background thread.
/// </summary>
public sealed record DataLoaderOptions
{
    private readonly int _prefetch = 2;

    /// <summary>Whether each epoch visits the samples in a fresh seeded permutation (false: dataset order).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Whether to drop the last batch when it would be smaller than the batch size.</summary>
    public bool DropLast { get; init; }

    /// <summary>Seed of the per-epoch shuffle and the per-sample augmentation (see <see cref="DataLoader.EpochSeed"/>).</summary>
    public ulong Seed { get; init; }

    /// <summary>Per-channel normalisation; null scales bytes to [0, 1] only.</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>Training-time augmentation (random crop with zero padding, horizontal flip).</summary>
    public AugmentOptions Augment { get; init; } = AugmentOptions.None;

    /// <summary>
    /// Batches assembled ahead on a background thread (0 = assemble on the caller's thread in
    /// <c>MoveNext</c>). The loader keeps <c>Prefetch + 1</c> preallocated batch buffers.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside [0, 16].</exception>
    public int Prefetch
    {
        get => _prefetch;
        init
        {
            if (value is < 0 or > 16)
            {
                throw new ArgumentOutOfRangeException(nameof(Prefetch), value, "DataLoaderOptions.Prefetch must be in [0, 16] (0 = no background thread; 2 is double buffering ahead of the batch in use).");
            }

            _prefetch = value;
        }
    }
}
