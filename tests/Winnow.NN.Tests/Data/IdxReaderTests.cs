using Winnow.NN.Data;
using Winnow.Testing;

namespace Winnow.NN.Tests.Data;

public sealed class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadDataset_RoundTripsPixelsAndLabels(bool gzip)
    {
        using var tmp = new TempDirectory();
        byte[] pixels = TestDataFiles.Pixels(5 * 28 * 28);
        byte[] labels = [3, 0, 9, 1, 7];
        string images = TestDataFiles.Write(Path.Combine(tmp.Path, "img"), TestDataFiles.IdxImages(pixels, 5, 28, 28), gzip);
        string labelPath = TestDataFiles.Write(Path.Combine(tmp.Path, "lab"), TestDataFiles.IdxLabels(labels), gzip);

        var data = IdxReader.ReadDataset("t", images, labelPath, 10);

        Assert.Equal(5, data.Count);
        Assert.Equal((1, 28, 28, 10), (data.Channels, data.Height, data.Width, data.Classes));
        Assert.Equal(pixels, data.Pixels.ToArray());
        Assert.Equal([3, 0, 9, 1, 7], data.Labels.ToArray());
        Assert.Equal(pixels.AsSpan(2 * 784, 784).ToArray(), data.Image(2).ToArray());
    }

    [Fact]
    public void ReadImages_HandlesNonSquareImages()
    {
        using var tmp = new TempDirectory();
        byte[] pixels = TestDataFiles.Pixels(2 * 3 * 5);
        string path = TestDataFiles.Write(Path.Combine(tmp.Path, "x.gz"), TestDataFiles.IdxImages(pixels, 2, 3, 5), gzip: true);

        var (read, count, rows, columns) = IdxReader.ReadImages(path);

        Assert.Equal((2, 3, 5), (count, rows, columns));
        Assert.Equal(pixels, read);
    }

    [Fact]
    public void WrongMagic_NamesFileAndExpectedAndActualHex()
    {
        using var tmp = new TempDirectory();
        string path = TestDataFiles.Write(Path.Combine(tmp.Path, "train-images-idx3-ubyte"), TestDataFiles.IdxLabels([1, 2]), gzip: false);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("expected magic 0x00000803", e.Message);
        Assert.Contains("found 0x00000801", e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void WrongMagic_InLabelFile()
    {
        using var tmp = new TempDirectory();
        string path = TestDataFiles.Write(Path.Combine(tmp.Path, "labels.gz"), TestDataFiles.IdxImages([1, 2, 3, 4], 1, 2, 2), gzip: true);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, e.Message);
        Assert.Contains("expected magic 0x00000801, found 0x00000803", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedImages_NameFileAndByteCounts(bool gzip)
    {
        using var tmp = new TempDirectory();
        byte[] full = TestDataFiles.IdxImages(TestDataFiles.Pixels(5 * 28 * 28), 5, 28, 28);
        string path = TestDataFiles.Write(Path.Combine(tmp.Path, "images"), full[..3000], gzip);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("expected 3,936 bytes", e.Message); // 16 + 5·28·28
        Assert.Contains("got 3,000", e.Message);
        Assert.Equal(gzip, e.Message.Contains("gzip", StringComparison.Ordinal));
    }

    [Fact]
    public void TruncatedHeader_IsReported()
    {
        using var tmp = new TempDirectory();
        string path = TestDataFiles.Write(Path.Combine(tmp.Path, "labels"), [0, 0, 8, 1, 0, 0], gzip: false);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadLabelBytes(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("expected 8 bytes", e.Message);
        Assert.Contains("got 6", e.Message);
    }

    [Fact]
    public void TrailingBytes_AreReported()
    {
        using var tmp = new TempDirectory();
        byte[] content = [.. TestDataFiles.IdxLabels([1, 2, 3]), 0, 0];
        string path = TestDataFiles.Write(Path.Combine(tmp.Path, "labels"), content, gzip: false);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadLabelBytes(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("expected 11 bytes", e.Message);
        Assert.Contains("got 13", e.Message);
    }

    [Fact]
    public void CountMismatch_NamesBothFilesAndCounts()
    {
        using var tmp = new TempDirectory();
        string images = TestDataFiles.Write(Path.Combine(tmp.Path, "img"), TestDataFiles.IdxImages(TestDataFiles.Pixels(5 * 4), 5, 2, 2), gzip: false);
        string labels = TestDataFiles.Write(Path.Combine(tmp.Path, "lab"), TestDataFiles.IdxLabels([1, 2, 3, 4]), gzip: false);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadDataset("t", images, labels, 10));

        Assert.Contains(images, e.Message);
        Assert.Contains(labels, e.Message);
        Assert.Contains("5 images", e.Message);
        Assert.Contains("4 labels", e.Message);
    }

    [Fact]
    public void LabelOutOfRange_NamesIndexAndValue()
    {
        using var tmp = new TempDirectory();
        string path = TestDataFiles.Write(Path.Combine(tmp.Path, "lab.gz"), TestDataFiles.IdxLabels([1, 2, 9, 10, 4]), gzip: true);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, e.Message);
        Assert.Contains("index 3 is 10", e.Message);
        Assert.Contains("[0, 10)", e.Message);
    }

    [Fact]
    public void MissingFile_IsADataException()
    {
        using var tmp = new TempDirectory();
        string path = Path.Combine(tmp.Path, "nope");

        var e = Assert.Throws<DataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, e.Message);
    }
}
