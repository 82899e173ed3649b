namespace Winnow.NN.Serialization;

/// <summary>
/// The contents of a safetensors file read by <see cref="SafeTensors.Load"/>: float32 tensors by
/// name (converted from the stored dtype, which <see cref="DTypes"/> keeps), the names in file
/// order (by data offset), and the <c>__metadata__</c> strings.
/// </summary>
public sealed class SafeTensorFile
{
    internal SafeTensorFile(string path, IReadOnlyList<string> names, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, SafeTensorDType> dtypes, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        Names = names;
        Tensors = tensors;
        DTypes = dtypes;
        Metadata = metadata;
    }

    /// <summary>Full path of the file that was read (for messages).</summary>
    public string Path { get; }

    /// <summary>Tensor names in the order their data appears in the file.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Tensors by name; each owns its storage (named after its key).</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The dtype each tensor was stored with.</summary>
    public IReadOnlyDictionary<string, SafeTensorDType> DTypes { get; }

    /// <summary>The header's <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor; the message names the file and lists a few names.</exception>
    public Tensor this[string name] => Tensors.TryGetValue(name, out var t)
        ? t
        : throw new KeyNotFoundException($"'{Path}' has no tensor named '{name}'. It has {Names.Count}: {string.Join(", ", Names.Take(10))}{(Names.Count > 10 ? ", …" : "")}.");
}
