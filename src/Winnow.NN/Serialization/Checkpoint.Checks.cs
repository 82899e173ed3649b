using System.Globalization;

namespace Winnow.NN.Serialization;

public static partial class Checkpoint
{
    /// <summary>Checks dtypes, then loads through <see cref="Module.LoadStateDict"/>, wrapping its message with the file.</summary>
    internal static void LoadModel(string path, Module model, IReadOnlyDictionary<string, Tensor> state, List<string> problems)
    {
        if (problems.Count == 0)
        {
            try
            {
                model.LoadStateDict(state, strict: true);
                return;
            }
            catch (ArgumentException e)
            {
                throw new SerializationException(path,
                    $"Checkpoint '{path}' does not fit the model: {e.Message} Build the model with the same architecture and options as the run that saved it.",
                    e);
            }
        }

        throw Mismatch(path, problems);
    }

    /// <summary>
    /// Model tensors must be floating point (exactly F32 in a Winnow checkpoint, any float type in
    /// other files); counters such as <c>num_batches_tracked</c> may also be integers.
    /// </summary>
    internal static void AddDTypeProblem(string name, SafeTensorDType dtype, bool exact, List<string> problems)
    {
        bool counter = SafeTensors.DefaultStoreAsInt64(name);
        bool ok = exact
            ? dtype == SafeTensorDType.F32 || (counter && dtype == SafeTensorDType.I64)
            : counter || SafeTensorDTypes.IsFloatingPoint(dtype);
        if (!ok)
        {
            problems.Add($"'{name}' is stored as {SafeTensorDTypes.Name(dtype)} but {(exact ? (counter ? "F32 or I64" : "F32") : "a floating-point type")} was expected");
        }
    }

    internal static SerializationException Mismatch(string path, List<string> problems) =>
        new(path,
            $"Checkpoint '{path}' does not fit ({problems.Count} problem(s)): {string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? "; …" : "")}. Resume with the same model, optimizer type and RNG names as the run that saved it.",
            null);

    private static Dictionary<string, ulong[]> ParseRngStates(SafeTensorFile file)
    {
        var states = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
        foreach (var (key, value) in file.Metadata)
        {
            if (!key.StartsWith(RngKeyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var state = new ulong[words.Length];
            bool ok = words.Length == 6;
            for (int i = 0; ok && i < words.Length; i++)
            {
                ok = ulong.TryParse(words[i], NumberStyles.None, CultureInfo.InvariantCulture, out state[i]);
            }

            if (!ok || (state[0] | state[1] | state[2] | state[3]) == 0)
            {
                throw new SerializationException(file.Path,
                    $"Checkpoint '{file.Path}' has an invalid RNG state in metadata '{key}': \"{value}\". Expected 6 space-separated unsigned 64-bit decimals (Rng.GetState()) with a non-zero generator state; the file was edited or damaged.",
                    null);
            }

            states.Add(key[RngKeyPrefix.Length..], state);
        }

        return states;
    }
}
