using Winnow.NN.Serialization;
using Winnow.Testing;

namespace Winnow.NN.Tests.Serialization;

public class AtomicFileTests
{
    [Fact]
    public void Write_ReplacesContent_AndLeavesNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.bin");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        AtomicFile.Write(path, s => s.Write([4, 5]));
        Assert.Equal([4, 5], File.ReadAllBytes(path));
        Assert.Equal(["a.bin"], dir.FileNames());
    }

    [Fact]
    public void WriterThrowingMidWrite_KeepsPreviousFile_AndRemovesTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        AtomicFile.WriteAllText(path, "previous");

        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100_000]);
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("boom", e.Message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(["model.safetensors"], dir.FileNames());
    }

    [Fact]
    public void SafeTensorsSaveFailingMidWrite_KeepsPreviousFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        SafeTensors.Save(path, [new("w", Tensor.Ones(3))]);
        byte[] before = File.ReadAllBytes(path);

        // The I64 tensor holds a fraction, which is found only while its data is being written.
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(path,
            [new("big", Tensor.Ones(1000)), new("n", Tensor.FromArray([1f, 2f, 2.5f], 3))], storeAsInt64: n => n == "n"));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["ckpt.safetensors"], dir.FileNames());
    }

    [Fact]
    public void WriteAllText_CreatesDirectory_Utf8WithoutBom()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "run", "config.json");
        AtomicFile.WriteAllText(path, "{\"é\": 1}");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal((byte)'{', bytes[0]);
        Assert.Equal("{\"é\": 1}", File.ReadAllText(path));
    }

    [Fact]
    public void Write_ToDirectoryPath_Throws()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => AtomicFile.WriteAllText(dir.Path, "x"));
        Assert.Contains("directory", e.Message);
    }

    [Fact]
    public void AppendLines_AppendsWholeLines_AndRejectsEmbeddedNewlines()
    {
        using var dir = new TempDirectory();
        string path = dir.File("metrics.jsonl");
        AtomicFile.AppendLines(path, ["{\"step\":1}", "{\"step\":2}"]);
        AtomicFile.AppendLines(path, ["{\"step\":3}"]);
        var e = Assert.Throws<ArgumentException>(() => AtomicFile.AppendLines(path, ["{\"ok\":1}", "{\"bad\":\n2}"]));
        Assert.Contains("line 1", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Equal("{\"step\":1}\n{\"step\":2}\n{\"step\":3}\n", File.ReadAllText(path));
    }
}
