using System.Globalization;
using Winnow.NN.Optim;

namespace Winnow.NN.Serialization;

/// <summary>
/// A checkpoint read by <see cref="Checkpoint.Load"/>: the model state, the optimizer state, RNG
/// states, extra tensors and metadata, ready to be applied to fresh objects with <see cref="ApplyTo"/>.
/// </summary>
/// <remarks>
/// Exceptions: <see cref="SerializationException"/> from <see cref="ApplyTo"/> when the checkpoint does
/// not fit (all mismatches listed, naming the file), and from <see cref="GetString"/> and
/// <see cref="GetInt64"/> for a missing or malformed metadata entry.
/// </remarks>
public sealed class CheckpointData
{
    private readonly Dictionary<string, ulong[]> _rngStates;

    internal CheckpointData(SafeTensorFile file, Dictionary<string, ulong[]> rngStates)
    {
        File = file;
        _rngStates = rngStates;
        Model = Group(file, prefix: null);
        OptimizerState = Group(file, Checkpoint.OptimizerPrefix);
        Extras = Group(file, Checkpoint.ExtrasPrefix);
        Metadata = file.Metadata.Where(kv => !kv.Key.StartsWith("winnow.", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        OptimizerType = file.Metadata.GetValueOrDefault(Checkpoint.OptimizerTypeKey);
        WinnowVersion = file.Metadata.GetValueOrDefault(Checkpoint.VersionKey, "unknown");
        CreatedUtc = file.Metadata.GetValueOrDefault(Checkpoint.CreatedKey);
    }

    /// <summary>Full path of the checkpoint file.</summary>
    public string Path => File.Path;

    /// <summary>The raw file contents (all tensors under their stored names, dtypes, all metadata).</summary>
    public SafeTensorFile File { get; }

    /// <summary>Model parameters and buffers by dotted name.</summary>
    public IReadOnlyDictionary<string, Tensor> Model { get; }

    /// <summary>Optimizer state as <see cref="Optimizer.StateDict"/> returned it (prefix removed).</summary>
    public IReadOnlyDictionary<string, Tensor> OptimizerState { get; }

    /// <summary>The caller's extra tensors (prefix removed).</summary>
    public IReadOnlyDictionary<string, Tensor> Extras { get; }

    /// <summary>The caller's metadata (entries whose keys do not start with <c>winnow.</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Type name of the optimizer that was saved, or null if none was.</summary>
    public string? OptimizerType { get; }

    /// <summary>Names of the saved RNG states.</summary>
    public IEnumerable<string> RngNames => _rngStates.Keys;

    /// <summary>The Winnow version that wrote the file.</summary>
    public string WinnowVersion { get; }

    /// <summary>When the file was written (ISO 8601, UTC), if recorded.</summary>
    public string? CreatedUtc { get; }

    /// <summary>A saved RNG state (a copy of the 6 words of <see cref="Rng.GetState"/>).</summary>
    /// <exception cref="KeyNotFoundException">No RNG state of that name.</exception>
    public ulong[] GetRngState(string name) => _rngStates.TryGetValue(name, out var s)
        ? (ulong[])s.Clone()
        : throw new KeyNotFoundException($"Checkpoint '{Path}' has no RNG state named '{name}' (it has: {Names(_rngStates.Keys)}).");

    /// <summary>The caller metadata entry <paramref name="key"/>.</summary>
    /// <exception cref="SerializationException">The entry is missing.</exception>
    public string GetString(string key) => Metadata.TryGetValue(key, out var v)
        ? v
        : throw new SerializationException(Path, $"Checkpoint '{Path}' has no metadata entry '{key}' (it has: {Names(Metadata.Keys)}). Was it saved by a run that records '{key}'?", null);

    /// <summary>The caller metadata entry <paramref name="key"/> parsed as a decimal integer (e.g. <see cref="Checkpoint.GlobalStepKey"/>).</summary>
    /// <exception cref="SerializationException">The entry is missing or not an integer.</exception>
    public long GetInt64(string key)
    {
        string text = GetString(key);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new SerializationException(Path, $"Checkpoint '{Path}' metadata '{key}' is \"{text}\", not a decimal integer.", null);
    }

    /// <summary>
    /// Restores <paramref name="model"/> (strictly: same names and shapes), <paramref name="optimizer"/>
    /// (when not null: same type, parameter names and shapes) and <paramref name="rngs"/> (when not null:
    /// exactly the saved names). Everything is checked before anything changes, so on an exception
    /// the objects are left as they were.
    /// </summary>
    /// <exception cref="SerializationException">The checkpoint does not fit; the message names the file and lists every mismatch.</exception>
    public void ApplyTo(Module model, Optimizer? optimizer = null, IReadOnlyDictionary<string, Rng>? rngs = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = new List<string>();
        foreach (var name in Model.Keys)
        {
            Checkpoint.AddDTypeProblem(name, File.DTypes[name], exact: true, problems);
        }

        if (optimizer is not null)
        {
            string type = optimizer.GetType().Name;
            if (OptimizerType is null)
            {
                problems.Add($"it holds no optimizer state but an optimizer ({type}) was given (pass optimizer: null to start the optimizer fresh)");
            }
            else if (OptimizerType != type)
            {
                problems.Add($"its optimizer state comes from {OptimizerType} but the optimizer given is {type}");
            }

            foreach (var name in OptimizerState.Keys.Where(n => File.DTypes[Checkpoint.OptimizerPrefix + n] != SafeTensorDType.F32))
            {
                problems.Add($"'{Checkpoint.OptimizerPrefix}{name}' is stored as {SafeTensorDTypes.Name(File.DTypes[Checkpoint.OptimizerPrefix + name])} but F32 was expected");
            }
        }

        if (rngs is not null)
        {
            problems.AddRange(rngs.Keys.Where(n => !_rngStates.ContainsKey(n)).Select(n => $"no RNG state named '{n}' (saved: {Names(_rngStates.Keys)})"));
            problems.AddRange(_rngStates.Keys.Where(n => !rngs.ContainsKey(n)).Select(n => $"RNG state '{n}' is saved but no Rng of that name was given"));
        }

        if (problems.Count > 0)
        {
            throw Checkpoint.Mismatch(Path, problems);
        }

        // Module and Optimizer each validate before changing anything; the model snapshot undoes
        // the model load if the optimizer then rejects its state.
        var backup = optimizer is null ? null : model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal);
        Checkpoint.LoadModel(Path, model, Model, problems);
        if (optimizer is not null)
        {
            try
            {
                optimizer.LoadStateDict(OptimizerState);
            }
            catch (ArgumentException e)
            {
                model.LoadStateDict(backup!);
                throw new SerializationException(Path,
                    $"Checkpoint '{Path}' does not fit the optimizer: {e.Message}", e);
            }
        }

        foreach (var (name, rng) in rngs ?? new Dictionary<string, Rng>())
        {
            rng.SetState(_rngStates[name]);
        }
    }

    private static Dictionary<string, Tensor> Group(SafeTensorFile file, string? prefix)
    {
        var group = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var name in file.Names)
        {
            if (prefix is null ? !name.StartsWith("__", StringComparison.Ordinal) : name.StartsWith(prefix, StringComparison.Ordinal))
            {
                group.Add(prefix is null ? name : name[prefix.Length..], file.Tensors[name]);
            }
        }

        return group;
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list.Take(10).Select(n => $"'{n}'")) + (list.Count > 10 ? ", …" : "");
    }
}
