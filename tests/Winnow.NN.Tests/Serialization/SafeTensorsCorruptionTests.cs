using Winnow.NN.Serialization;
using Winnow.Testing;

namespace Winnow.NN.Tests.Serialization;

public class SafeTensorsCorruptionTests
{
    private const string TwoFloats = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    [Fact]
    public void TooShortForHeaderLength() =>
        AssertCorrupt([1, 2, 3, 4, 5], "5 bytes", "too short", "8-byte header length");

    [Fact]
    public void HeaderLengthBeyondFile()
    {
        byte[] bytes = RawSafeTensors.Build("{}", new byte[10]);
        bytes[0] = 0xE8; // 1000
        bytes[1] = 0x03;
        AssertCorrupt(bytes, "header length of 1000 bytes", "only 12 bytes follow", "truncated");
    }

    [Fact]
    public void InvalidJson() => AssertCorrupt(RawSafeTensors.Build("{\"w\": [1, 2"), "not valid JSON");

    [Fact]
    public void HeaderNotAnObject() => AssertCorrupt(RawSafeTensors.Build("[1, 2]      "), "must be a JSON object", "Array");

    [Fact]
    public void EntryMissingFields() =>
        AssertCorrupt(RawSafeTensors.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}"), "tensor 'w'", "data_offsets");

    [Fact]
    public void MetadataValueNotString() =>
        AssertCorrupt(RawSafeTensors.Build("{\"__metadata__\":{\"epoch\":3}}"), "'epoch'", "must be a string", "Number");

    [Fact]
    public void UnknownDType() =>
        AssertCorrupt(RawSafeTensors.Build("{\"w\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", 0), "tensor 'w'", "\"Q4\"", "supported: F64, F32");

    [Fact]
    public void NegativeDimension() =>
        AssertCorrupt(RawSafeTensors.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'w'", "[-1]", "integer in [0,");

    [Fact]
    public void ShapeDisagreesWithOffsets() =>
        AssertCorrupt(RawSafeTensors.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
            "tensor 'w'", "shape [3]", "needs 3 × 4 = 12 bytes", "span 8 bytes");

    [Fact]
    public void EndBeforeBegin() =>
        AssertCorrupt(RawSafeTensors.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", new byte[8]), "tensor 'w'", "0 ≤ begin ≤ end");

    [Fact]
    public void OverlappingOffsets() =>
        AssertCorrupt(RawSafeTensors.Build(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
            "tensor 'b'", "[4, 12]", "overlapping tensor 'a'", "ends at byte 8");

    [Fact]
    public void OffsetsBeyondData() =>
        AssertCorrupt(RawSafeTensors.Build(TwoFloats, new byte[4]), "tensor 'w'", "[0, 8]", "beyond the end of the 4-byte data section");

    [Fact]
    public void GapBetweenTensors() =>
        AssertCorrupt(RawSafeTensors.Build(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]),
            "tensor 'b' starts at data offset 8", "'a' ends at 4", "contiguously");

    [Fact]
    public void TrailingGarbage() =>
        AssertCorrupt(RawSafeTensors.Build(TwoFloats, [.. RawSafeTensors.F32(1, 2), 0xDE, 0xAD]), "10 bytes", "cover only 8", "2 trailing bytes", "'w'");

    [Fact]
    public void TruncatedWrittenFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cut.safetensors");
        SafeTensors.Save(path, [new("w", Tensor.Ones(4, 4))]);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var e = Assert.Throws<SerializationException>(() => SafeTensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("tensor 'w' has data_offsets [0, 64], beyond the end of the 54-byte data section", e.Message);
    }

    [Fact]
    public void DuplicateTensorName() =>
        AssertCorrupt(RawSafeTensors.Build(TwoFloats[..^1] + ",\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]}}", RawSafeTensors.F32(1, 2)), "names 'w' twice");

    private static void AssertCorrupt(byte[] bytes, params string[] fragments)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SerializationException>(() => SafeTensors.Load(path));
        Assert.Contains($"'{path}' is not a valid safetensors file", e.Message);
        Assert.Equal(path, e.FilePath);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, e.Message);
        }
    }
}
