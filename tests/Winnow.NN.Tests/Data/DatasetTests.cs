using Winnow.NN.Data;

namespace Winnow.NN.Tests.Data;

public sealed class DatasetTests
{
    /// <summary>N images of 1×2×2 whose pixels all equal the image index (mod 256); label = index mod classes.</summary>
    internal static Dataset Numbered(int count, int classes = 10, int channels = 1, int height = 2, int width = 2)
    {
        int size = channels * height * width;
        var pixels = new byte[count * size];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            pixels.AsSpan(i * size, size).Fill((byte)(i % 256));
            labels[i] = i % classes;
        }

        return new Dataset("numbered", pixels, labels, channels, height, width, classes);
    }

    [Fact]
    public void Constructor_ChecksShapeAndLabels()
    {
        Assert.Throws<ArgumentException>(() => new Dataset("d", new byte[7], new int[2], 1, 2, 2, 10));
        var e = Assert.Throws<ArgumentException>(() => new Dataset("d", new byte[8], [0, 10], 1, 2, 2, 10));
        Assert.Contains("index 1 is 10", e.Message);
    }

    [Fact]
    public void Subset_CopiesImagesAndLabelsInTheGivenOrder()
    {
        var d = Numbered(10);

        var s = d.Subset([7, 2, 7]);

        Assert.Equal(3, s.Count);
        Assert.Equal([7, 2, 7], s.Labels.ToArray());
        Assert.Equal(new byte[] { 2, 2, 2, 2 }, s.Image(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Subset([10]));
    }

    [Fact]
    public void SplitValidation_IsADeterministicDisjointPartition()
    {
        var d = Numbered(100);

        var (train, val) = d.SplitValidation(20, seed: 5);
        var (train2, val2) = d.SplitValidation(20, seed: 5);
        var (_, val3) = d.SplitValidation(20, seed: 6);

        Assert.Equal(80, train.Count);
        Assert.Equal(20, val.Count);
        int[] trainIds = Ids(train), valIds = Ids(val);
        Assert.Empty(trainIds.Intersect(valIds));
        Assert.Equal(Enumerable.Range(0, 100), trainIds.Concat(valIds).Order());
        Assert.Equal(valIds.Order(), valIds); // original relative order kept
        Assert.Equal(valIds, Ids(val2));
        Assert.Equal(trainIds, Ids(train2));
        Assert.NotEqual(valIds, Ids(val3));
        Assert.Equal("numbered/val", val.Name);
    }

    [Fact]
    public void SplitValidation_ByFraction()
    {
        var d = Numbered(50);

        var (train, val) = d.SplitValidation(0.1, seed: 1);

        Assert.Equal((45, 5), (train.Count, val.Count));
        Assert.Equal(Ids(d.SplitValidation(5, seed: 1).Validation), Ids(val));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.SplitValidation(1.0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.SplitValidation(50, 1));
    }

    private static int[] Ids(Dataset d) => Enumerable.Range(0, d.Count).Select(i => (int)d.Image(i)[0]).ToArray();
}
