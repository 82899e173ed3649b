namespace Winnow.NN;

public abstract partial class Module
{
    /// <summary>
    /// Parameters and buffers by dotted name (PyTorch's <c>state_dict()</c>). The tensors are the
    /// module's own (not copies): clone them to snapshot.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in NamedParameters())
        {
            dict[name] = p;
        }

        foreach (var (name, b) in NamedBuffers())
        {
            dict[name] = b;
        }

        return dict;
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers.
    /// With <paramref name="strict"/>, missing and unexpected names are errors.
    /// </summary>
    /// <exception cref="ArgumentException">Names are missing or unexpected (strict), or shapes differ; the message lists them.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var problems = new List<string>();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source))
            {
                if (strict)
                {
                    problems.Add($"missing '{name}' (shape {Tensor.ShapeString(target.Shape)})");
                }

                continue;
            }

            if (!source.Shape.SequenceEqual(target.Shape))
            {
                problems.Add($"'{name}' has shape {Tensor.ShapeString(source.Shape)} in the state but {Tensor.ShapeString(target.Shape)} in the model");
            }
        }

        if (strict)
        {
            foreach (var name in state.Keys)
            {
                if (!own.ContainsKey(name))
                {
                    problems.Add($"unexpected '{name}'");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Cannot load state into {GetType().Name}: {string.Join("; ", problems)}.", nameof(state));
        }

        foreach (var (name, target) in own)
        {
            if (state.TryGetValue(name, out var source))
            {
                source.Data.CopyTo(target.Data);
            }
        }
    }
}
