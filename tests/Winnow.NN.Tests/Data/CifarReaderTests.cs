using Winnow.NN.Data;
using Winnow.Testing;

namespace Winnow.NN.Tests.Data;

public sealed class CifarReaderTests
{
    [Fact]
    public void Cifar10_ConcatenatesFilesInOrderWithChwPixels()
    {
        using var tmp = new TempDirectory();
        byte[] p1 = TestDataFiles.Pixels(2 * 3072, 1), p2 = TestDataFiles.Pixels(3 * 3072, 2);
        string f1 = TestDataFiles.Write(Path.Combine(tmp.Path, "a.bin"), TestDataFiles.CifarRecords([4, 9], p1), gzip: false);
        string f2 = TestDataFiles.Write(Path.Combine(tmp.Path, "b.bin"), TestDataFiles.CifarRecords([0, 1, 2], p2), gzip: false);

        var data = CifarReader.ReadCifar10("c10", f1, f2);

        Assert.Equal((5, 3, 32, 32, 10), (data.Count, data.Channels, data.Height, data.Width, data.Classes));
        Assert.Equal([4, 9, 0, 1, 2], data.Labels.ToArray());
        Assert.Equal(p1.AsSpan(3072, 3072).ToArray(), data.Image(1).ToArray());
        Assert.Equal(p2.AsSpan(2 * 3072, 3072).ToArray(), data.Image(4).ToArray());
    }

    [Fact]
    public void Cifar100_UsesTheFineLabel()
    {
        using var tmp = new TempDirectory();
        byte[] pixels = TestDataFiles.Pixels(2 * 3072);
        string path = TestDataFiles.Write(Path.Combine(tmp.Path, "train.bin"), TestDataFiles.CifarRecords([57, 99], pixels, coarse: [3, 19]), gzip: false);

        var data = CifarReader.ReadCifar100("c100", path);

        Assert.Equal(100, data.Classes);
        Assert.Equal([57, 99], data.Labels.ToArray());
        Assert.Equal(pixels, data.Pixels.ToArray());
    }

    [Fact]
    public void Truncated_NamesFileRecordSizeAndActualSize()
    {
        using var tmp = new TempDirectory();
        byte[] records = TestDataFiles.CifarRecords([1, 2], TestDataFiles.Pixels(2 * 3072));
        string path = TestDataFiles.Write(Path.Combine(tmp.Path, "data_batch_1.bin"), records[..5000], gzip: false);

        var e = Assert.Throws<DataException>(() => CifarReader.ReadCifar10("c10", path));

        Assert.Contains(path, e.Message);
        Assert.Contains("record size 3073", e.Message);
        Assert.Contains("5,000 bytes", e.Message);
    }

    [Fact]
    public void LabelOutOfRange_NamesRecordAndValue()
    {
        using var tmp = new TempDirectory();
        string ok = TestDataFiles.Write(Path.Combine(tmp.Path, "ok.bin"), TestDataFiles.CifarRecords([1], TestDataFiles.Pixels(3072)), gzip: false);
        string bad = TestDataFiles.Write(Path.Combine(tmp.Path, "bad.bin"), TestDataFiles.CifarRecords([1, 2, 12], TestDataFiles.Pixels(3 * 3072)), gzip: false);

        var e = Assert.Throws<DataException>(() => CifarReader.ReadCifar10("c10", ok, bad));

        Assert.Contains(bad, e.Message);
        Assert.Contains("record 2 is 12", e.Message);
        Assert.Contains("[0, 10)", e.Message);
    }
}
