using Winnow.NN.Data;

namespace Winnow.NN.Tests.Data;

public sealed class DataLoaderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Epoch_VisitsEveryIndexOnceWithAShortLastBatch(int prefetch)
    {
        var data = DatasetTests.Numbered(103);
        using var loader = new DataLoader(data, 10, new DataLoaderOptions { Seed = 7, Prefetch = prefetch });

        var seen = new List<int>();
        var counts = new List<int>();
        foreach (var batch in loader.Epoch(0))
        {
            Assert.Equal(counts.Count, batch.Index);
            Assert.Equal(batch.Count, batch.Images.Dim(0));
            Assert.Equal([batch.Count, 1, 2, 2], batch.Images.Shape.ToArray());
            for (int i = 0; i < batch.Count; i++)
            {
                int index = batch.Indices.Span[i];
                Assert.Equal(index % 10, batch.Labels.Span[i]);
                Assert.Equal((index % 256) / 255f, batch.Images.Data[i * 4 + 3]);
                seen.Add(index);
            }

            counts.Add(batch.Count);
        }

        Assert.Equal(11, loader.BatchesPerEpoch);
        Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3], counts);
        Assert.Equal(Enumerable.Range(0, 103), seen.Order());
        Assert.Equal(loader.EpochOrder(0), seen);
    }

    [Fact]
    public void DropLast_OmitsTheShortBatch()
    {
        using var loader = new DataLoader(DatasetTests.Numbered(103), 10, new DataLoaderOptions { DropLast = true });

        var batches = loader.Epoch(0).Select(b => (b.Count, Ids: b.Indices.ToArray())).ToList();

        Assert.Equal(10, loader.BatchesPerEpoch);
        Assert.Equal(100, loader.SamplesPerEpoch);
        Assert.All(batches, b => Assert.Equal(10, b.Count));
        Assert.Equal(100, batches.SelectMany(b => b.Ids).Distinct().Count());
    }

    [Fact]
    public void Order_DiffersBetweenEpochsAndIsReproducible()
    {
        var data = DatasetTests.Numbered(200);
        using var a = new DataLoader(data, 32, new DataLoaderOptions { Seed = 11 });
        using var b = new DataLoader(data, 32, new DataLoaderOptions { Seed = 11, Prefetch = 0 });
        using var other = new DataLoader(data, 32, new DataLoaderOptions { Seed = 12 });

        int[] e0 = Ids(a, 0), e1 = Ids(a, 1);

        Assert.NotEqual(e0, e1);
        Assert.Equal(e1, Ids(b, 1)); // resuming at epoch 1 without running epoch 0
        Assert.Equal(e0, Ids(b, 0));
        Assert.NotEqual(e0, Ids(other, 0));
        Assert.Equal(e1, a.EpochOrder(1));
    }

    [Fact]
    public void NoShuffle_KeepsDatasetOrder()
    {
        using var loader = new DataLoader(DatasetTests.Numbered(25), 8, new DataLoaderOptions { Shuffle = false });

        Assert.Equal(Enumerable.Range(0, 25), Ids(loader, 3));
    }

    [Fact]
    public void Prefetching_GivesTheSameBatchesAsNoPrefetch()
    {
        var data = Colourful(70);
        var options = new DataLoaderOptions
        {
            Seed = 99,
            Normalization = DatasetCatalog.Get("cifar10").Normalization,
            Augment = AugmentOptions.Cifar,
        };
        using var sync = new DataLoader(data, 16, options with { Prefetch = 0 });
        using var prefetched = new DataLoader(data, 16, options with { Prefetch = 3 });

        for (int epoch = 0; epoch < 2; epoch++)
        {
            var (imagesA, labelsA) = Flatten(sync, epoch);
            var (imagesB, labelsB) = Flatten(prefetched, epoch);
            Assert.Equal(labelsA, labelsB);
            Assert.Equal(imagesA, imagesB);
        }
    }

    [Fact]
    public void Augmentation_IsDeterministicPerSeedAndEpoch()
    {
        var data = Colourful(20);
        var options = new DataLoaderOptions { Seed = 3, Augment = AugmentOptions.Cifar, Shuffle = false };
        using var a = new DataLoader(data, 8, options);
        using var b = new DataLoader(data, 8, options);

        Assert.Equal(Flatten(a, 5).Images, Flatten(b, 5).Images);
        Assert.NotEqual(Flatten(a, 5).Images, Flatten(a, 6).Images);

        // Sample at position p of epoch e is the dataset image transformed by Draw(seed, e, p).
        var lookup = Normalization.Identity(3).BuildLookup();
        var expected = new float[data.ImageSize];
        var draw = SampleAugmentation.Draw(AugmentOptions.Cifar, 3, 5, 9);
        ImageTransforms.Apply(data.Image(9), 3, 8, 8, lookup, draw, expected);
        float[] all = Flatten(a, 5).Images;
        Assert.Equal(expected, all.AsSpan(9 * data.ImageSize, data.ImageSize).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ProducerException_SurfacesAfterTheEarlierBatches(int prefetch)
    {
        using var loader = new DataLoader(DatasetTests.Numbered(100), 10, new DataLoaderOptions { Prefetch = prefetch });
        loader.BeforeAssemble = b =>
        {
            if (b == 3)
            {
                throw new InvalidOperationException("disk on fire");
            }
        };
        var received = new List<int>();

        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var batch in loader.Epoch(0))
            {
                received.Add(batch.Index);
            }
        });

        Assert.Equal("disk on fire", e.Message);
        Assert.Equal([0, 1, 2], received);
        loader.BeforeAssemble = null;
        Assert.Equal(10, loader.Epoch(1).Count()); // the failed epoch released the loader
    }

    [Fact]
    public void AbandoningAnEpoch_StopsTheProducerAndAllowsTheNext()
    {
        using var loader = new DataLoader(DatasetTests.Numbered(100), 10);
        foreach (var batch in loader.Epoch(0))
        {
            if (batch.Index == 1)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 100), Ids(loader, 1).Order());
    }

    [Fact]
    public void TwoEpochsAtOnce_Throw()
    {
        using var loader = new DataLoader(DatasetTests.Numbered(100), 10);
        using var first = loader.Epoch(0).GetEnumerator();
        Assert.True(first.MoveNext());

        var e = Assert.Throws<InvalidOperationException>(() => loader.Epoch(1).First());

        Assert.Contains("epoch 0 is still being enumerated", e.Message);
    }

    [Fact]
    public async Task DisposingTheLoaderMidEpoch_StopsTheProducer()
    {
        var loader = new DataLoader(DatasetTests.Numbered(1000), 10, new DataLoaderOptions { Prefetch = 2 });
        var enumerator = loader.Epoch(0).GetEnumerator();
        Assert.True(enumerator.MoveNext());

        var dispose = Task.Run(loader.Dispose);
        var first = await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(first == dispose, "Dispose did not return: the producer thread was not stopped.");
        Assert.Throws<ObjectDisposedException>(() => loader.Epoch(1));
        enumerator.Dispose();
    }

    [Fact]
    public void HeldBatch_IsNotOverwrittenWhileTheProducerRunsAhead()
    {
        using var loader = new DataLoader(DatasetTests.Numbered(60), 5, new DataLoaderOptions { Prefetch = 2, Shuffle = false });
        foreach (var batch in loader.Epoch(0))
        {
            float[] before = batch.Images.ToArray();
            Thread.Sleep(2); // the producer fills the other buffers meanwhile
            Assert.Equal(before, batch.Images.ToArray());
            Assert.Equal(batch.Index * 5 / 255f, before[0]);
        }
    }

    [Fact]
    public void Constructor_ChecksArguments()
    {
        var data = DatasetTests.Numbered(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(data, 0));
        Assert.Throws<ArgumentException>(() => new DataLoader(data, 4, new DataLoaderOptions { Normalization = Normalization.Identity(3) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoaderOptions { Prefetch = -1 });
    }

    internal static Dataset Colourful(int count)
    {
        var pixels = TestDataFiles.Pixels(count * 3 * 8 * 8, 5);
        var labels = Enumerable.Range(0, count).Select(i => i % 10).ToArray();
        return new Dataset("colourful", pixels, labels, 3, 8, 8, 10);
    }

    private static int[] Ids(DataLoader loader, int epoch) =>
        loader.Epoch(epoch).SelectMany(b => b.Indices.ToArray()).ToArray();

    private static (float[] Images, int[] Labels) Flatten(DataLoader loader, int epoch)
    {
        var images = new List<float>();
        var labels = new List<int>();
        foreach (var batch in loader.Epoch(epoch))
        {
            images.AddRange(batch.Images.ToArray());
            labels.AddRange(batch.Labels.ToArray());
        }

        return (images.ToArray(), labels.ToArray());
    }
}
