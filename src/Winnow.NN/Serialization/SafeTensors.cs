using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Winnow.NN.Serialization;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face), readable by
/// <c>safetensors.torch.load_file</c>. Layout:
/// <code>
/// [8 bytes]  N, unsigned 64-bit little-endian
/// [N bytes]  UTF-8 JSON header, padded with spaces so N is a multiple of 8:
///            {"__metadata__": {"key": "value", ...},
///             "name": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...}
/// [rest]     tensor data, little-endian, row-major; offsets are relative to the end of the header;
///            tensors are contiguous, without gaps, and the file ends with the last one
/// </code>
/// Writing stores float32 tensors as <c>F32</c>, or as <c>I64</c> for names the caller selects
/// (by default names ending in <c>num_batches_tracked</c>, which PyTorch keeps as int64). Like the
/// reference writer, tensors are ordered by descending element size (I64 before F32, otherwise in
/// the given order) so every tensor's data is aligned to its element size; metadata keys are sorted.
/// Reading accepts every <see cref="SafeTensorDType"/> and converts to float32.
/// </summary>
/// <remarks>
/// Exceptions: <see cref="ArgumentException"/> for duplicate, empty or reserved names and for I64
/// tensors holding non-integer values; <see cref="SerializationException"/> for files that are too
/// short, truncated, have invalid JSON, unknown dtypes, shapes that disagree with their offsets,
/// overlapping, out-of-range or gapped offsets, or trailing bytes (each message names the file,
/// what was expected and what was found); I/O exceptions propagate.
/// </remarks>
public static partial class SafeTensors
{
    private const int ChunkBytes = 1 << 16;
    private const float TwoPow63 = 9223372036854775808f;
    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The default choice of tensors stored as I64: names ending in <c>num_batches_tracked</c>.</summary>
    public static bool DefaultStoreAsInt64(string name) => name.EndsWith("num_batches_tracked", StringComparison.Ordinal);

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">Tensors by unique name.</param>
    /// <param name="metadata">Strings for the <c>__metadata__</c> header entry; omitted when null or empty.</param>
    /// <param name="storeAsInt64">Which names to store as I64 (values must be integers); default <see cref="DefaultStoreAsInt64"/>.</param>
    /// <exception cref="ArgumentException">A name is empty, repeated or <c>__metadata__</c>, or an I64 tensor holds a non-integer.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, Func<string, bool>? storeAsInt64 = null)
    {
        var plan = Plan(tensors, storeAsInt64);
        byte[] header = BuildHeader(plan, metadata);
        AtomicFile.Write(path, stream => WritePlanned(stream, header, plan));
    }

    /// <summary>Writes the safetensors bytes to <paramref name="stream"/> (not atomic; see <see cref="Save"/> for files).</summary>
    /// <exception cref="ArgumentException">A name is empty, repeated or <c>__metadata__</c>, or an I64 tensor holds a non-integer.</exception>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, Func<string, bool>? storeAsInt64 = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var plan = Plan(tensors, storeAsInt64);
        WritePlanned(stream, BuildHeader(plan, metadata), plan);
    }

    private static List<(string Name, Tensor Tensor, SafeTensorDType DType)> Plan(
        IEnumerable<KeyValuePair<string, Tensor>> tensors, Func<string, bool>? storeAsInt64)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        storeAsInt64 ??= DefaultStoreAsInt64;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<(string, Tensor, SafeTensorDType)>();
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == SafeTensorHeader.MetadataKey)
            {
                throw new ArgumentException($"SafeTensors: tensor name '{name}' is not allowed; names must be non-empty and not '{SafeTensorHeader.MetadataKey}'.", nameof(tensors));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"SafeTensors: two tensors are named '{name}'; every tensor in a file needs a unique name.", nameof(tensors));
            }

            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            plan.Add((name, tensor, storeAsInt64(name) ? SafeTensorDType.I64 : SafeTensorDType.F32));
        }

        // Stable: equal sizes keep the caller's order.
        return [.. plan.OrderByDescending(p => SafeTensorDTypes.Size(p.Item3))];
    }

    private static byte[] BuildHeader(List<(string Name, Tensor Tensor, SafeTensorDType DType)> plan, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, s_jsonOptions))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafeTensorHeader.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    ArgumentNullException.ThrowIfNull(value, nameof(metadata));
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor, dtype) in plan)
            {
                long end = offset + (long)tensor.Length * SafeTensorDTypes.Size(dtype);
                json.WriteStartObject(name);
                json.WriteString("dtype", SafeTensorDTypes.Name(dtype));
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }

            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 7) & ~7;
        byte[] header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        buffer.WrittenSpan.CopyTo(header.AsSpan(8));
        header.AsSpan(8 + buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WritePlanned(Stream stream, byte[] header, List<(string Name, Tensor Tensor, SafeTensorDType DType)> plan)
    {
        stream.Write(header);
        byte[]? chunk = null;
        try
        {
            foreach (var (name, tensor, dtype) in plan)
            {
                ReadOnlySpan<float> data = tensor.Data;
                if (dtype == SafeTensorDType.F32 && BitConverter.IsLittleEndian)
                {
                    stream.Write(MemoryMarshal.AsBytes(data));
                    continue;
                }

                chunk ??= ArrayPool<byte>.Shared.Rent(ChunkBytes);
                int size = SafeTensorDTypes.Size(dtype);
                for (int start = 0; start < data.Length; start += ChunkBytes / size)
                {
                    var part = data.Slice(start, Math.Min(ChunkBytes / size, data.Length - start));
                    var bytes = chunk.AsSpan(0, part.Length * size);
                    Encode(part, bytes, dtype, name, start);
                    stream.Write(bytes);
                }
            }
        }
        finally
        {
            if (chunk is not null)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }

    // src: (n) floats -> dst: (n · size) little-endian bytes.
    private static void Encode(ReadOnlySpan<float> src, Span<byte> dst, SafeTensorDType dtype, string name, int firstIndex)
    {
        for (int i = 0; i < src.Length; i++)
        {
            float v = src[i];
            if (dtype == SafeTensorDType.F32)
            {
                BinaryPrimitives.WriteSingleLittleEndian(dst[(4 * i)..], v);
            }
            else if (float.IsFinite(v) && v == MathF.Truncate(v) && v >= -TwoPow63 && v < TwoPow63)
            {
                BinaryPrimitives.WriteInt64LittleEndian(dst[(8 * i)..], (long)v);
            }
            else
            {
                throw new ArgumentException(
                    $"SafeTensors: tensor '{name}' is stored as I64 but element {firstIndex + i} is {v}, not an integer. Store it as F32 (leave its name out of storeAsInt64) or round it first.",
                    "tensors");
            }
        }
    }
}
