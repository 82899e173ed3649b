using System.Globalization;

namespace Winnow.Cli.Config;

/// <summary>
/// The list of <see cref="TrainConfig"/> settings, used to build the command-line options, read
/// config files and write the resolved config: one table, so the three never disagree.
/// </summary>
public static partial class ConfigSchema
{
    /// <summary>Every setting of every verb: the training settings, then the sparsity ones (<see cref="SparsityFields"/>).</summary>
    public static IReadOnlyList<ConfigField> Fields { get; } = [.. TrainingFields(), .. SparsityFields(), .. DynamicSparseFields(), .. CsFields(), .. SubnetFields()];

    /// <summary>The settings <paramref name="verb"/> accepts, in table order.</summary>
    public static IReadOnlyList<ConfigField> For(ConfigVerbs verb) => Fields.Where(f => (f.Verbs & verb) != 0).ToArray();

    private static ConfigField[] TrainingFields() =>
    [
        F("model", "Model name (see `winnow models`).", c => c.Model, (c, v) => c.Model = (string)v!),
        F("dataset", "Dataset name (see `winnow datasets`).", c => c.Dataset, (c, v) => c.Dataset = (string)v!),
        F<string?>("data", "Directory with the dataset files (default: $WINNOW_DATA, /usr/share/datasets/<name>, then the bundled sample).", c => c.Data, (c, v) => c.Data = v),
        F("epochs", "Number of training epochs.", c => c.Epochs, (c, v) => c.Epochs = v),
        F("batch-size", "Training mini-batch size.", c => c.BatchSize, (c, v) => c.BatchSize = v),
        F("eval-batch-size", "Evaluation batch size.", c => c.EvalBatchSize, (c, v) => c.EvalBatchSize = v),
        F("optimizer", "sgd or adam.", c => c.Optimizer, (c, v) => c.Optimizer = (string)v!),
        F("lr", "Learning rate.", c => c.Lr, (c, v) => c.Lr = v),
        F("momentum", "SGD momentum (PyTorch semantics).", c => c.Momentum, (c, v) => c.Momentum = v),
        F("nesterov", "Use Nesterov momentum.", c => c.Nesterov, (c, v) => c.Nesterov = v),
        F("weight-decay", "L2 weight decay.", c => c.WeightDecay, (c, v) => c.WeightDecay = v),
        F("schedule", "LR schedule per epoch: none, step, multistep or cosine.", c => c.Schedule, (c, v) => c.Schedule = (string)v!),
        F("step-size", "Epochs between LR drops (schedule step).", c => c.StepSize, (c, v) => c.StepSize = v),
        F("gamma", "LR drop factor (step, multistep).", c => c.Gamma, (c, v) => c.Gamma = v),
        F("milestones", "Comma-separated epochs of LR drops (multistep), e.g. 30,60.", c => c.Milestones, (c, v) => c.Milestones = (string)v!),
        F("warmup-epochs", "Linear LR warm-up epochs.", c => c.WarmupEpochs, (c, v) => c.WarmupEpochs = v),
        F("label-smoothing", "Cross-entropy label smoothing in [0, 1).", c => c.LabelSmoothing, (c, v) => c.LabelSmoothing = v),
        F("augment", "Random crop with zero padding and horizontal flip.", c => c.Augment, (c, v) => c.Augment = v),
        F("val-split", "Hold out N training images (or a fraction < 1) for validation.", c => c.ValSplit, (c, v) => c.ValSplit = v),
        F("seed", "Random seed (weights, data order, augmentation, dropout).", c => c.Seed, (c, v) => c.Seed = v),
        F("threads", "Kernel threads (0 = all cores); results are identical for any value.", c => c.Threads, (c, v) => c.Threads = v),
        F<string?>("out", "Run directory (default runs/<model>-<dataset>-<time>).", c => c.Out, (c, v) => c.Out = v),
    ];

    /// <summary>The field named <paramref name="name"/> (kebab-case; snake_case and camelCase accepted), or null.</summary>
    public static ConfigField? Find(string name)
    {
        string key = Normalise(name);
        return Fields.FirstOrDefault(f => Normalise(f.Name) == key);
    }

    /// <summary>Parses <paramref name="text"/> as the field's type (invariant culture).</summary>
    /// <exception cref="FormatException">The text is not a valid value; the message says what was expected.</exception>
    public static object? ParseValue(ConfigField field, string text)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = Nullable.GetUnderlyingType(field.Type) ?? field.Type;
        if (t == typeof(string))
        {
            return text;
        }

        if (t == typeof(int) && int.TryParse(text, NumberStyles.Integer, inv, out int i))
        {
            return i;
        }

        if (t == typeof(ulong) && ulong.TryParse(text, NumberStyles.Integer, inv, out ulong u))
        {
            return u;
        }

        if (t == typeof(double) && double.TryParse(text, NumberStyles.Float, inv, out double d))
        {
            return d;
        }

        if (t == typeof(bool) && bool.TryParse(text, out bool b))
        {
            return b;
        }

        throw new FormatException($"'{field.Name}' expects {TypeName(t)}, got '{text}'.");
    }

    /// <summary>A human name for a setting's type ("an integer", "a number", …).</summary>
    public static string TypeName(Type t) => t == typeof(int) || t == typeof(ulong) ? "an integer" : t == typeof(double) ? "a number" : t == typeof(bool) ? "true or false" : "a string";

    internal static string Normalise(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static ConfigField F<T>(string name, string description, Func<TrainConfig, T> get, Action<TrainConfig, T> set, ConfigVerbs verbs = ConfigVerbs.All)
        => new(name, typeof(T), description, c => get(c), (c, v) => set(c, (T)v!)) { Verbs = verbs };
}
