namespace Winnow.NN.Data;

/// <summary>
/// Serves a <see cref="Dataset"/> in batches of (B, C, H, W) float32 images plus labels, shuffled,
/// normalised and augmented, with the next batches assembled on a background thread while the
/// caller trains on the current one.
/// </summary>
/// <remarks>
/// <para><b>Determinism.</b> Epoch e visits the samples in the order <see cref="EpochOrder"/>: a
/// Fisher–Yates shuffle by <c>new Rng(EpochSeed(seed, e))</c>, with
/// <c>EpochSeed(seed, e) = seed ⊕ (e · 0x9E3779B97F4A7C15)</c>. Each sample's augmentation is drawn
/// from (seed, e, position in the epoch) by <see cref="SampleAugmentation.Draw"/>. Batches are thus a
/// pure function of (dataset, options, epoch): resuming at epoch e reproduces it exactly, and
/// prefetching never changes the result.</para>
/// <para><b>Buffers.</b> The loader owns <c>Prefetch + 1</c> preallocated batch buffers and reuses them
/// every epoch; assembling a batch allocates only a small <see cref="Batch"/> object. A batch is valid
/// until the next <c>MoveNext</c> of its enumerator (the next <c>foreach</c> iteration) or until the
/// enumerator is disposed — only then is its buffer handed back to the producer.</para>
/// <para><b>Threading.</b> One epoch may be enumerated at a time per loader. An exception in the producer
/// is rethrown (same object) by the consumer's <c>MoveNext</c> after the batches assembled before it.
/// Leaving a <c>foreach</c> early, or disposing the loader, stops the producer and waits for it.</para>
/// </remarks>
public sealed class DataLoader : IDisposable
{
    private readonly float[] _lookup;
    private readonly BatchSlot[] _slots;
    private readonly int[] _order;
    private readonly object _gate = new();
    private EpochRun? _active;
    private bool _disposed;

    /// <summary>Creates a loader and its batch buffers.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">The normalisation's channel count differs from the dataset's.</exception>
    public DataLoader(Dataset dataset, int batchSize, DataLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "DataLoader batch size must be ≥ 1 (e.g. 100 for LeNet-300-100, 128 for CIFAR ResNets).");
        }

        Options = options ?? new DataLoaderOptions();
        var normalization = Options.Normalization ?? Normalization.Identity(dataset.Channels);
        if (normalization.Channels != dataset.Channels)
        {
            throw new ArgumentException($"DataLoader: the normalisation has {normalization.Channels} channel(s) but '{dataset.Name}' images have {dataset.Channels}.", nameof(options));
        }

        Dataset = dataset;
        BatchSize = batchSize;
        _lookup = normalization.BuildLookup();
        _order = new int[dataset.Count];
        int slotBatch = Math.Min(batchSize, Math.Max(dataset.Count, 1));
        _slots = new BatchSlot[Options.Prefetch + 1];
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new BatchSlot(slotBatch, dataset.Channels, dataset.Height, dataset.Width);
        }
    }

    /// <summary>The data served.</summary>
    public Dataset Dataset { get; }

    /// <summary>Images per batch (the last batch of an epoch may be smaller unless <see cref="DataLoaderOptions.DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>The options this loader was created with.</summary>
    public DataLoaderOptions Options { get; }

    /// <summary>Batches in each epoch: ⌈N/B⌉, or ⌊N/B⌋ with <see cref="DataLoaderOptions.DropLast"/>.</summary>
    public int BatchesPerEpoch => Options.DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Samples served in each epoch.</summary>
    public int SamplesPerEpoch => Math.Min(Dataset.Count, BatchesPerEpoch * BatchSize);

    /// <summary>Test hook: runs on the producing thread before batch b is assembled (to inject faults).</summary>
    internal Action<int>? BeforeAssemble { get; set; }

    /// <summary>The seed of epoch <paramref name="epoch"/>'s shuffle: <c>seed ⊕ (epoch · 0x9E3779B97F4A7C15)</c>.</summary>
    public static ulong EpochSeed(ulong seed, int epoch) => seed ^ ((ulong)epoch * 0x9E3779B97F4A7C15UL);

    /// <summary>The dataset indices in the order epoch <paramref name="epoch"/> visits them (all N, even with drop-last).</summary>
    public int[] EpochOrder(int epoch)
    {
        var order = new int[Dataset.Count];
        FillOrder(epoch, order);
        return order;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/> (≥ 0). Production starts at the first
    /// <c>MoveNext</c>; see the remarks on <see cref="DataLoader"/> for lifetime and threading rules.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The loader was disposed.</exception>
    /// <exception cref="InvalidOperationException">(On enumeration) another epoch of this loader is still being enumerated.</exception>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Iterate(epoch);
    }

    /// <summary>Stops any producer thread and waits for it. The loader cannot be used afterwards.</summary>
    public void Dispose()
    {
        EpochRun? active;
        lock (_gate)
        {
            _disposed = true;
            active = _active;
        }

        active?.Dispose();
    }

    internal int[] Order => _order;

    internal BatchSlot[] Slots => _slots;

    internal void FillOrder(int epoch, Span<int> order)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (Options.Shuffle)
        {
            new Rng(EpochSeed(Options.Seed, epoch)).Shuffle(order);
        }
    }

    /// <summary>Fills <paramref name="slot"/> with batch <paramref name="batchIndex"/> of <paramref name="epoch"/> (order already in <see cref="Order"/>).</summary>
    internal void Assemble(BatchSlot slot, int batchIndex, int epoch)
    {
        BeforeAssemble?.Invoke(batchIndex);
        int start = batchIndex * BatchSize;
        int count = Math.Min(BatchSize, Dataset.Count - start);
        int size = Dataset.ImageSize;
        var augment = Options.Augment;
        var labels = Dataset.Labels;
        for (int i = 0; i < count; i++)
        {
            int index = _order[start + i];
            slot.Indices[i] = index;
            slot.Labels[i] = labels[index];
            var dst = slot.Images.AsSpan(i * size, size);
            var image = Dataset.Image(index);
            if (augment.IsNone)
            {
                ImageTransforms.Normalize(image, Dataset.Channels, _lookup, dst);
            }
            else
            {
                var draw = SampleAugmentation.Draw(augment, Options.Seed, epoch, start + i);
                ImageTransforms.Apply(image, Dataset.Channels, Dataset.Height, Dataset.Width, _lookup, draw, dst);
            }
        }

        slot.Count = count;
        slot.Index = batchIndex;
    }

    internal void EndRun(EpochRun run)
    {
        lock (_gate)
        {
            if (_active == run)
            {
                _active = null;
            }
        }
    }

    private IEnumerable<Batch> Iterate(int epoch)
    {
        EpochRun run;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_active is not null)
            {
                throw new InvalidOperationException($"DataLoader over '{Dataset.Name}': epoch {_active.EpochNumber} is still being enumerated; finish it or leave its foreach before starting epoch {epoch}. The loader reuses its batch buffers, so only one epoch can be in flight.");
            }

            run = new EpochRun(this, epoch);
            _active = run;
        }

        using (run)
        {
            run.Start();
            while (run.MoveNext())
            {
                yield return run.Current!;
            }
        }
    }
}
