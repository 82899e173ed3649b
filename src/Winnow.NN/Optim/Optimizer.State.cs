namespace Winnow.NN.Optim;

public abstract partial class Optimizer
{
    /// <summary>
    /// Suffixes of the per-parameter state tensors that have the parameter's shape
    /// (e.g. <c>momentum_buffer</c>, <c>exp_avg</c>).
    /// </summary>
    protected abstract IReadOnlyList<string> BufferStateKeys { get; }

    /// <summary>Suffixes of per-parameter integer counters stored as one-element tensors (e.g. <c>step</c>).</summary>
    protected virtual IReadOnlyList<string> ScalarStateKeys => [];

    /// <summary>The state tensors of <paramref name="parameter"/> by suffix (live; the caller copies), or nothing before its first update.</summary>
    protected abstract IEnumerable<KeyValuePair<string, Tensor>> GetParameterState(Parameter parameter);

    /// <summary>
    /// Replaces <paramref name="parameter"/>'s state: <paramref name="state"/> is empty (clear the state)
    /// or holds every key of <see cref="BufferStateKeys"/> and <see cref="ScalarStateKeys"/> with
    /// validated shapes. The implementation copies the values into its own buffers.
    /// </summary>
    protected abstract void SetParameterState(Parameter parameter, IReadOnlyDictionary<string, Tensor> state);

    /// <summary>
    /// The optimizer state for checkpoints: <c>{name}.{suffix}</c> → an independent copy (safe to keep
    /// as a snapshot), with names from <see cref="Tensor.Name"/> or <c>param{i}</c>. Counters
    /// (<c>{name}.step</c>) are exact up to 2^24. Hyper-parameters are not included (they come from the
    /// configuration; the learning rate from the schedule).
    /// </summary>
    /// <exception cref="InvalidOperationException">Two parameters resolve to the same name.</exception>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var names = ParameterNames();
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < _parameters.Length; i++)
        {
            foreach (var (suffix, tensor) in GetParameterState(_parameters[i]))
            {
                var copy = tensor.Clone();
                copy.Name = names[i] + "." + suffix;
                dict[copy.Name] = copy;
            }
        }

        return dict;
    }

    /// <summary>
    /// Restores state saved by <see cref="StateDict"/> (from an optimizer of the same type over
    /// parameters with the same names and shapes). Parameters without entries start fresh. Everything
    /// is validated before anything is changed.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown keys, wrong shapes, invalid counters, or a parameter with only part of its state; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">Two parameters resolve to the same name.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var names = ParameterNames();
        var problems = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var perParameter = new Dictionary<string, Tensor>[_parameters.Length];
        int keyCount = BufferStateKeys.Count + ScalarStateKeys.Count;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var found = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var suffix in BufferStateKeys)
            {
                string key = names[i] + "." + suffix;
                if (state.TryGetValue(key, out var t))
                {
                    used.Add(key);
                    found[suffix] = t;
                    if (!t.Shape.SequenceEqual(p.Shape))
                    {
                        problems.Add($"'{key}' has shape {Tensor.ShapeString(t.Shape)} but the parameter has shape {Tensor.ShapeString(p.Shape)}");
                    }
                }
            }

            foreach (var suffix in ScalarStateKeys)
            {
                string key = names[i] + "." + suffix;
                if (state.TryGetValue(key, out var t))
                {
                    used.Add(key);
                    found[suffix] = t;
                    if (t.Length != 1 || !(t.Data[0] >= 0) || t.Data[0] != MathF.Floor(t.Data[0]) || float.IsInfinity(t.Data[0]))
                    {
                        problems.Add($"'{key}' must be one non-negative integer value, got {t}");
                    }
                }
            }

            if (found.Count != 0 && found.Count != keyCount)
            {
                var missing = BufferStateKeys.Concat(ScalarStateKeys).Where(s => !found.ContainsKey(s)).Select(s => $"'{names[i]}.{s}'");
                problems.Add($"parameter '{names[i]}' has only part of its state: missing {string.Join(", ", missing)}");
            }

            perParameter[i] = found;
        }

        foreach (var key in state.Keys)
        {
            if (!used.Contains(key))
            {
                problems.Add($"unexpected '{key}'");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"{GetType().Name}.LoadStateDict: the state does not fit this optimizer ({problems.Count} problem(s)): {string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? "; …" : "")}. " +
                "Check that the checkpoint comes from the same optimizer type and model, and that parameters are named the same way (call model.NameTensors() before building the optimizer in both runs).",
                nameof(state));
        }

        for (int i = 0; i < _parameters.Length; i++)
        {
            SetParameterState(_parameters[i], perParameter[i]);
        }
    }

    /// <summary>Checkpoint name of every parameter: its <see cref="Tensor.Name"/>, or <c>param{i}</c> when null.</summary>
    /// <exception cref="InvalidOperationException">Two parameters resolve to the same name.</exception>
    public string[] ParameterNames()
    {
        var names = new string[_parameters.Length];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = _parameters[i].Name ?? $"param{i}";
            if (!seen.TryAdd(names[i], i))
            {
                throw new InvalidOperationException(
                    $"{GetType().Name}: parameters {seen[names[i]]} and {i} are both named '{names[i]}', so their optimizer state cannot be told apart. Call model.NameTensors() to give every parameter its dotted name, or set distinct Parameter.Name values.");
            }
        }

        return names;
    }
}
