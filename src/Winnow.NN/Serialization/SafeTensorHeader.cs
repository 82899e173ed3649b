using System.Text.Json;

namespace Winnow.NN.Serialization;

/// <summary>
/// Parses and validates a safetensors JSON header: every tensor has a known dtype, a shape of
/// non-negative dimensions and <c>data_offsets</c> whose span matches shape × dtype size; the
/// tensors tile the data section exactly (no overlap, no gap, nothing after the last one), as the
/// reference implementation requires.
/// </summary>
internal static class SafeTensorHeader
{
    /// <summary>The reference implementation's header size limit (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Key of the optional string → string metadata object.</summary>
    public const string MetadataKey = "__metadata__";

    public const string TruncatedHint = "The file is truncated (an interrupted copy, download or save) or is not a safetensors file; save or copy it again.";

    private const string DamagedHint = "The header is damaged or was written by a non-conforming tool; re-export the tensors with safetensors.torch.save_file or Winnow's SafeTensors.Save.";

    /// <summary>The tensors sorted by data offset (file order), and the metadata.</summary>
    /// <exception cref="SerializationException">The header is invalid; the message names <paramref name="path"/> and the problem.</exception>
    public static (List<SafeTensorEntry> Entries, Dictionary<string, string> Metadata) Parse(ReadOnlyMemory<byte> json, string path, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"its {json.Length}-byte header is not valid JSON ({e.Message})", DamagedHint, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Corrupt(path, $"the header must be a JSON object mapping tensor names to {{\"dtype\", \"shape\", \"data_offsets\"}}, but it is a JSON {root.ValueKind}", DamagedHint, null);
            }

            var entries = new List<SafeTensorEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Corrupt(path, $"the header names '{property.Name}' twice", DamagedHint, null);
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, path);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value, path));
                }
            }

            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            CheckTiling(entries, path, dataLength);
            return (entries, metadata);
        }
    }

    /// <summary>The exception for an invalid file: "'{path}' is not a valid safetensors file: {problem}. {hint}".</summary>
    public static SerializationException Corrupt(string path, string problem, string hint, Exception? inner) =>
        new(path, $"'{path}' is not a valid safetensors file: {problem}. {hint}", inner);

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Corrupt(path, $"\"{MetadataKey}\" must be an object of string values, but it is a JSON {value.ValueKind}", DamagedHint, null);
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Corrupt(path, $"\"{MetadataKey}\" entry '{item.Name}' must be a string, but it is a JSON {item.Value.ValueKind}", DamagedHint, null);
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw Corrupt(path, $"\"{MetadataKey}\" names '{item.Name}' twice", DamagedHint, null);
            }
        }
    }

    private static SafeTensorEntry ReadEntry(string name, JsonElement value, string path)
    {
        string where = $"tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array)
        {
            throw Corrupt(path, $"{where} must be an object {{\"dtype\": string, \"shape\": [int, ...], \"data_offsets\": [begin, end]}}, got {Truncate(value.GetRawText())}", DamagedHint, null);
        }

        string dtypeText = dtypeElement.GetString()!;
        if (!SafeTensorDTypes.TryParse(dtypeText, out var dtype))
        {
            throw Corrupt(path, $"{where} has dtype \"{dtypeText}\", which Winnow cannot read (supported: {SafeTensorDTypes.Supported})", "Convert the tensor to a supported type before saving (e.g. t.float() in PyTorch).", null);
        }

        var shape = new int[shapeElement.GetArrayLength()];
        long length = 1;
        int d = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out shape[d]) || shape[d] < 0)
            {
                throw Corrupt(path, $"{where} has shape {shapeElement.GetRawText()}; every dimension must be an integer in [0, {int.MaxValue}]", DamagedHint, null);
            }

            length = Math.Min(length * shape[d], (long)Array.MaxLength + 1);
            d++;
        }

        if (length > Array.MaxLength)
        {
            throw Corrupt(path, $"{where} has shape {Tensor.ShapeString(shape)}, more elements than one tensor can hold ({Array.MaxLength})", "Split the tensor before saving.", null);
        }

        long[] offsets = new long[2];
        int k = 0;
        foreach (var offset in offsetsElement.EnumerateArray())
        {
            if (k >= 2 || offset.ValueKind != JsonValueKind.Number || !offset.TryGetInt64(out offsets[k]) || offsets[k] < 0)
            {
                k = -1;
                break;
            }

            k++;
        }

        if (k != 2 || offsets[1] < offsets[0])
        {
            throw Corrupt(path, $"{where} has data_offsets {offsetsElement.GetRawText()}; expected [begin, end] with 0 ≤ begin ≤ end", DamagedHint, null);
        }

        long expectedBytes = length * SafeTensorDTypes.Size(dtype);
        if (offsets[1] - offsets[0] != expectedBytes)
        {
            throw Corrupt(path,
                $"{where} has dtype {dtypeText} and shape {Tensor.ShapeString(shape)}, so it needs {length} × {SafeTensorDTypes.Size(dtype)} = {expectedBytes} bytes, but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]} bytes",
                DamagedHint, null);
        }

        return new SafeTensorEntry(name, dtype, shape, (int)length, offsets[0], offsets[1]);
    }

    private static void CheckTiling(List<SafeTensorEntry> entries, string path, long dataLength)
    {
        long expectedBegin = 0;
        string? previous = null;
        foreach (var e in entries)
        {
            if (e.End > dataLength)
            {
                throw Corrupt(path, $"tensor '{e.Name}' has data_offsets [{e.Begin}, {e.End}], beyond the end of the {dataLength}-byte data section", TruncatedHint, null);
            }

            if (e.Begin < expectedBegin)
            {
                throw Corrupt(path, $"tensor '{e.Name}' has data_offsets [{e.Begin}, {e.End}], overlapping tensor '{previous}' which ends at byte {expectedBegin}", DamagedHint, null);
            }

            if (e.Begin > expectedBegin)
            {
                throw Corrupt(path,
                    $"tensor '{e.Name}' starts at data offset {e.Begin}, but {(previous is null ? "the first tensor must start at 0" : $"the previous tensor '{previous}' ends at {expectedBegin}")} (tensors must be stored contiguously, without gaps)",
                    DamagedHint, null);
            }

            expectedBegin = e.End;
            previous = e.Name;
        }

        if (expectedBegin < dataLength)
        {
            throw Corrupt(path,
                $"the data section has {dataLength} bytes but the tensors in the header cover only {expectedBegin}; {dataLength - expectedBegin} trailing bytes follow {(previous is null ? "the header" : $"the last tensor '{previous}'")}",
                "The file has trailing garbage (two files concatenated, or a header from a different save); save or copy it again.", null);
        }
    }

    private static string Truncate(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
