using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Winnow.NN.Serialization;
using Winnow.Testing;

namespace Winnow.NN.Tests.Serialization;

public class SafeTensorsTests
{
    [Fact]
    public void RoundTrip_KeepsNamesOrderShapesBitsAndMetadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        var a = Tensor.FromArray([1.5f, -0f, float.NaN, float.PositiveInfinity, float.Epsilon, -3.25e-30f], 2, 3);
        var tensors = new List<KeyValuePair<string, Tensor>>
        {
            new("features.0.weight", a),
            new("scalar", Tensor.Scalar(3.5f)),
            new("empty", new Tensor(0)),
            new("empty3d", new Tensor(2, 0, 3)),
            new("ünï code/name", Tensor.FromArray([7f], 1)),
        };
        var metadata = new Dictionary<string, string> { ["config"] = "{\"lr\": 0.1, \"note\": \"a+b<c>\\n\"}", ["epoch"] = "3", ["é"] = "ü" };

        SafeTensors.Save(path, tensors, metadata);
        var file = SafeTensors.Load(path);

        Assert.Equal(tensors.Select(kv => kv.Key), file.Names);
        foreach (var (name, expected) in tensors)
        {
            var actual = file[name];
            Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
            TensorAssert.BitIdentical(expected.Data, actual.Data, name);
            Assert.Equal(SafeTensorDType.F32, file.DTypes[name]);
        }

        Assert.Equal(metadata.OrderBy(kv => kv.Key), file.Metadata.OrderBy(kv => kv.Key));
        Assert.Equal(Path.GetFullPath(path), file.Path);
        Assert.Equal(["t.safetensors"], dir.FileNames());
    }

    [Fact]
    public void ByteLayout_MatchesHandBuiltFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("tiny.safetensors");
        SafeTensors.Save(path,
            [new("w", Tensor.FromArray([1f, -2f], 2)), new("bn.num_batches_tracked", Tensor.Scalar(7f))],
            new Dictionary<string, string> { ["m"] = "x" });

        // I64 goes first (descending element size keeps every tensor aligned), offsets relative to the data section.
        const string json = "{\"__metadata__\":{\"m\":\"x\"},\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        var expected = new List<byte> { 160, 0, 0, 0, 0, 0, 0, 0 }; // 153 bytes of JSON padded to 160
        expected.AddRange(Encoding.UTF8.GetBytes(json));
        expected.AddRange(Enumerable.Repeat((byte)' ', 7));
        expected.AddRange([7, 0, 0, 0, 0, 0, 0, 0]);        // 7L
        expected.AddRange([0x00, 0x00, 0x80, 0x3F]);        // 1f
        expected.AddRange([0x00, 0x00, 0x00, 0xC0]);        // -2f
        Assert.Equal(153, json.Length);
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Header_IsStandardJsonWithAlignedContiguousOffsets()
    {
        using var dir = new TempDirectory();
        string path = dir.File("h.safetensors");
        var rng = new Rng(5);
        SafeTensors.Save(path,
            [new("a", Tensor.Normal(rng, 0, 1, 3, 5)), new("b.num_batches_tracked", Tensor.FromArray([2f], 1)), new("c", Tensor.Normal(rng, 0, 1, 7)), new("d", new Tensor(0, 4))],
            new Dictionary<string, string> { ["epoch"] = "1" });

        byte[] bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        string text = Encoding.UTF8.GetString(bytes, 8, (int)n);
        string trimmed = text.TrimEnd(' ');
        Assert.EndsWith("}", trimmed, StringComparison.Ordinal);
        Assert.InRange(text.Length - trimmed.Length, 0, 7);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal("1", root.GetProperty("__metadata__").GetProperty("epoch").GetString());

        var names = root.EnumerateObject().Select(p => p.Name).Where(p => p != "__metadata__").ToArray();
        Assert.Equal(["b.num_batches_tracked", "a", "c", "d"], names);
        long expectedBegin = 0;
        foreach (var name in names)
        {
            var entry = root.GetProperty(name);
            string dtype = entry.GetProperty("dtype").GetString()!;
            int[] shape = [.. entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())];
            long[] offsets = [.. entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64())];
            int size = dtype == "I64" ? 8 : 4;
            Assert.Equal(name.EndsWith("tracked", StringComparison.Ordinal) ? "I64" : "F32", dtype);
            Assert.Equal(expectedBegin, offsets[0]);
            Assert.Equal(shape.Aggregate(1L, (p, d) => p * d) * size, offsets[1] - offsets[0]);
            Assert.Equal(0, offsets[0] % size);
            expectedBegin = offsets[1];
        }

        Assert.Equal(bytes.Length, 8 + n + expectedBegin);
    }

    [Fact]
    public void Int64_ByPredicate_IsExactAndReadBack()
    {
        using var dir = new TempDirectory();
        string path = dir.File("i.safetensors");
        var big = Tensor.FromArray([1099511627776f, -5f, 0f], 3); // 2^40 is exact in float32
        SafeTensors.Save(path, [new("step", big), new("x", Tensor.FromArray([0.5f], 1))], storeAsInt64: n => n == "step");

        byte[] bytes = File.ReadAllBytes(path);
        int dataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(1L << 40, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(dataStart)));
        Assert.Equal(-5L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(dataStart + 8)));

        var file = SafeTensors.Load(path);
        Assert.Equal(SafeTensorDType.I64, file.DTypes["step"]);
        Assert.Equal(SafeTensorDType.F32, file.DTypes["x"]);
        Assert.Equal(big.ToArray(), file["step"].ToArray());
    }

    [Fact]
    public void Int64_NonInteger_ThrowsNamingTensor_AndLeavesNoFile()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(dir.File("bad.safetensors"), [new("bn.num_batches_tracked", Tensor.Scalar(1.5f))]));
        Assert.Contains("'bn.num_batches_tracked'", e.Message);
        Assert.Contains("1.5", e.Message);
        Assert.Empty(dir.FileNames());
    }

    [Fact]
    public void Read_ConvertsOtherDTypesToFloat()
    {
        using var dir = new TempDirectory();
        string path = dir.File("dtypes.safetensors");
        var data = new List<byte>();
        data.AddRange(BitConverter.GetBytes(-9L));                         // I64 [0, 8)
        data.AddRange(BitConverter.GetBytes(2.5));                         // F64 [8, 16)
        data.AddRange(BitConverter.GetBytes(-123456));                     // I32 [16, 20)
        data.AddRange(BitConverter.GetBytes((Half)0.75f));                 // F16 [20, 22)
        data.AddRange([0x40, 0x40]);                                       // BF16 3.0 = 0x4040 [22, 24)
        data.AddRange([200, 0, 1, 5]);                                     // U8 [24, 26), BOOL [26, 28)
        const string json = """
            {"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[],"data_offsets":[8,16]},
             "c":{"dtype":"I32","shape":[1],"data_offsets":[16,20]},"d":{"dtype":"F16","shape":[1],"data_offsets":[20,22]},
             "e":{"dtype":"BF16","shape":[1],"data_offsets":[22,24]},"f":{"dtype":"U8","shape":[2],"data_offsets":[24,26]},
             "g":{"dtype":"BOOL","shape":[2],"data_offsets":[26,28]}}
            """;
        File.WriteAllBytes(path, RawSafeTensors.Build(json, [.. data]));

        var file = SafeTensors.Load(path);
        Assert.Equal([-9f], file["a"].ToArray());
        Assert.Equal([2.5f], file["b"].ToArray());
        Assert.Equal([-123456f], file["c"].ToArray());
        Assert.Equal([0.75f], file["d"].ToArray());
        Assert.Equal([3f], file["e"].ToArray());
        Assert.Equal([200f, 0f], file["f"].ToArray());
        Assert.Equal([1f, 1f], file["g"].ToArray());
        Assert.Equal(SafeTensorDType.Bool, file.DTypes["g"]);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void Save_RejectsDuplicateAndReservedNames()
    {
        using var dir = new TempDirectory();
        var dup = Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(dir.File("d.safetensors"), [new("w", Tensor.Scalar(1)), new("w", Tensor.Scalar(2))]));
        Assert.Contains("'w'", dup.Message);
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(dir.File("d.safetensors"), [new("__metadata__", Tensor.Scalar(1))]));
        Assert.Empty(dir.FileNames());
    }
}
