using System.Globalization;
using System.Reflection;
using Winnow.NN.Optim;

namespace Winnow.NN.Serialization;

/// <summary>
/// Everything needed to resume a run bit-identically, in one safetensors file (see
/// <see cref="SafeTensors"/>):
/// <code>
/// tensors   {module name}                  model parameters and buffers, exactly PyTorch's state_dict
///                                          names; F32, num_batches_tracked as I64
///           __optimizer__.{param}.{key}    Optimizer.StateDict() (momentum_buffer, exp_avg, step ...), F32
///           __extras__.{key}               caller's extra tensors (e.g. masks), F32
/// metadata  winnow.format = winnow-checkpoint/1, winnow.version, winnow.created_utc (ISO 8601 UTC),
///           winnow.optimizer = optimizer type name (absent without an optimizer),
///           winnow.rng.{name} = the 6 words of Rng.GetState() as space-separated decimals (exact),
///           plus the caller's keys (epoch, global_step, schedule, config: see the *Key constants)
/// </code>
/// PyTorch users load the model with
/// <c>sd = safetensors.torch.load_file(path); model.load_state_dict({k: v for k, v in sd.items() if not k.startswith("__")})</c>.
/// RNG states and counters live in the metadata as decimal strings because float32 tensors cannot
/// hold 64-bit integers exactly. Optimizer state keys use parameter names, so call
/// <see cref="Module.NameTensors"/> before building the optimizer, both when saving and when resuming.
/// </summary>
/// <remarks>
/// Exceptions: <see cref="ArgumentException"/> when saving reserved or clashing names (a model tensor
/// starting with <c>__</c>, a metadata key starting with <c>winnow.</c>, an empty RNG or extras name);
/// <see cref="SerializationException"/> when loading a file that is invalid, not a Winnow checkpoint,
/// or does not fit the given model, optimizer or RNGs (the message names the file and lists every
/// mismatch).
/// </remarks>
public static partial class Checkpoint
{
    /// <summary>Prefix of optimizer state tensors.</summary>
    public const string OptimizerPrefix = "__optimizer__.";

    /// <summary>Prefix of the caller's extra tensors.</summary>
    public const string ExtrasPrefix = "__extras__.";

    /// <summary>Metadata key of the format tag; its value is <see cref="FormatVersion"/>.</summary>
    public const string FormatKey = "winnow.format";

    /// <summary>The format tag this version writes and reads.</summary>
    public const string FormatVersion = "winnow-checkpoint/1";

    /// <summary>Metadata key of the Winnow version that wrote the file.</summary>
    public const string VersionKey = "winnow.version";

    /// <summary>Metadata key of the creation time (ISO 8601, UTC).</summary>
    public const string CreatedKey = "winnow.created_utc";

    /// <summary>Metadata key of the optimizer's type name.</summary>
    public const string OptimizerTypeKey = "winnow.optimizer";

    /// <summary>Metadata key prefix of RNG states (<c>winnow.rng.{name}</c>).</summary>
    public const string RngKeyPrefix = "winnow.rng.";

    /// <summary>Conventional caller key: completed epochs (decimal integer).</summary>
    public const string EpochKey = "epoch";

    /// <summary>Conventional caller key: optimizer steps taken (decimal integer).</summary>
    public const string GlobalStepKey = "global_step";

    /// <summary>Conventional caller key: learning-rate schedule state.</summary>
    public const string ScheduleKey = "schedule";

    /// <summary>Conventional caller key: the fully resolved run configuration (JSON).</summary>
    public const string ConfigKey = "config";

    private const string ReservedMetadataPrefix = "winnow.";

    /// <summary>Writes a checkpoint to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file to create or replace (conventionally <c>*.safetensors</c>).</param>
    /// <param name="model">The model; its parameters and buffers are saved under their dotted names.</param>
    /// <param name="optimizer">The optimizer whose state to save, or null.</param>
    /// <param name="rngs">Generators to save by name, or null.</param>
    /// <param name="metadata">Caller strings (epoch, step, schedule, config ...); keys must not start with <c>winnow.</c>.</param>
    /// <param name="extras">Extra tensors saved under <see cref="ExtrasPrefix"/> (e.g. <c>masks.fc1.weight</c>).</param>
    /// <exception cref="ArgumentException">A reserved or empty name (see the type remarks).</exception>
    public static void Save(string path, Module model, Optimizer? optimizer = null, IReadOnlyDictionary<string, Rng>? rngs = null,
        IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyDictionary<string, Tensor>? extras = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, tensor) in model.StateDict())
        {
            if (name.StartsWith("__", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Checkpoint.Save: model tensor '{name}' starts with '__', which is reserved for optimizer and extra tensors; rename the module member.", nameof(model));
            }

            tensors.Add(new(name, tensor));
        }

        if (optimizer is not null)
        {
            tensors.AddRange(optimizer.StateDict().Select(kv => KeyValuePair.Create(OptimizerPrefix + kv.Key, kv.Value)));
        }

        foreach (var (key, tensor) in extras ?? new Dictionary<string, Tensor>())
        {
            CheckName(key, "extras", nameof(extras));
            tensors.Add(new(ExtrasPrefix + key, tensor));
        }

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(ReservedMetadataPrefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Checkpoint.Save: metadata key '{key}' starts with '{ReservedMetadataPrefix}', which Winnow reserves for its own entries; choose another key.", nameof(metadata));
            }

            meta[key] = value;
        }

        meta[FormatKey] = FormatVersion;
        meta[VersionKey] = WinnowVersion();
        meta[CreatedKey] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        if (optimizer is not null)
        {
            meta[OptimizerTypeKey] = optimizer.GetType().Name;
        }

        foreach (var (name, rng) in rngs ?? new Dictionary<string, Rng>())
        {
            CheckName(name, "RNG", nameof(rngs));
            ArgumentNullException.ThrowIfNull(rng, nameof(rngs));
            meta[RngKeyPrefix + name] = string.Join(' ', rng.GetState().Select(w => w.ToString(CultureInfo.InvariantCulture)));
        }

        SafeTensors.Save(path, tensors, meta, name => !name.StartsWith("__", StringComparison.Ordinal) && SafeTensors.DefaultStoreAsInt64(name));
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>; apply it with <see cref="CheckpointData.ApplyTo"/>.</summary>
    /// <exception cref="SerializationException">The file is invalid or not a Winnow checkpoint.</exception>
    public static CheckpointData Load(string path)
    {
        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue(FormatKey, out var format))
        {
            throw new SerializationException(file.Path,
                $"'{file.Path}' is a safetensors file but not a Winnow checkpoint: its metadata has no '{FormatKey}' entry. To load model weights from a plain safetensors file (e.g. exported from PyTorch), use Checkpoint.LoadModelOnly.",
                null);
        }

        if (format != FormatVersion)
        {
            throw new SerializationException(file.Path,
                $"'{file.Path}' is a checkpoint in format '{format}', but this Winnow reads '{FormatVersion}'. Load it with the Winnow version that wrote it ({file.Metadata.GetValueOrDefault(VersionKey, "unknown")}).",
                null);
        }

        var unknown = file.Names.Where(n => n.StartsWith("__", StringComparison.Ordinal)
            && !n.StartsWith(OptimizerPrefix, StringComparison.Ordinal) && !n.StartsWith(ExtrasPrefix, StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new SerializationException(file.Path,
                $"Checkpoint '{file.Path}' has tensors in groups this Winnow does not know: {string.Join(", ", unknown.Take(5).Select(n => $"'{n}'"))}. Only '{OptimizerPrefix}' and '{ExtrasPrefix}' prefixes are defined; the file may come from a newer Winnow.",
                null);
        }

        return new CheckpointData(file, ParseRngStates(file));
    }

    /// <summary>
    /// Loads only the model's parameters and buffers (strict: every model tensor must be present,
    /// no other unprefixed tensor may be) from a checkpoint or any safetensors file, ignoring tensors
    /// whose names start with <c>__</c>. Floating-point dtypes are converted to float32.
    /// </summary>
    /// <returns>The file's metadata (e.g. <see cref="EpochKey"/> for reports).</returns>
    /// <exception cref="SerializationException">The file is invalid, or names, shapes or dtypes do not fit the model (all listed).</exception>
    public static IReadOnlyDictionary<string, string> LoadModelOnly(string path, Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var file = SafeTensors.Load(path);
        var state = file.Tensors.Where(kv => !kv.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var name in state.Keys)
        {
            AddDTypeProblem(name, file.DTypes[name], exact: false, problems);
        }

        LoadModel(file.Path, model, state, problems);
        return file.Metadata;
    }

    private static void CheckName(string name, string what, string parameter)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"Checkpoint.Save: an {what} name is empty; give every entry a non-empty name.", parameter);
        }
    }

    private static string WinnowVersion() =>
        typeof(Checkpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Checkpoint).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
