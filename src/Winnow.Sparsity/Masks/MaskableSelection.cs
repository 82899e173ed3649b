using Winnow.NN;
using Winnow.NN.Layers;

namespace Winnow.Sparsity.Masks;

/// <summary>
/// Which weights a sparsity method masks. Default: every conv and linear weight (never biases or
/// batch norm). The first and last maskable layers can be left dense (RigL keeps the first layer
/// dense on CIFAR; open_lth's LeNet leaves the output layer out), and tensors can be named
/// explicitly (<see cref="Only"/>) or excluded (<see cref="Exclude"/>) by dotted parameter name.
/// </summary>
public sealed record MaskableSelection
{
    /// <summary>Conv and linear weights, first and last included.</summary>
    public static MaskableSelection All { get; } = new();

    /// <summary>Mask the first maskable layer (in registration order).</summary>
    public bool IncludeFirst { get; init; } = true;

    /// <summary>Mask the last maskable layer (usually the classifier).</summary>
    public bool IncludeLast { get; init; } = true;

    /// <summary>If non-empty, only these parameter names are masked.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>Parameter names never masked.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Every conv/linear weight of <paramref name="model"/>, in registration order, whether selected or not.</summary>
    public static IReadOnlyList<MaskTarget> Candidates(Module model)
    {
        var list = new List<MaskTarget>();
        foreach (var (name, module) in model.NamedModules())
        {
            Parameter? w = module switch { Linear l => l.Weight, Conv2d c => c.Weight, _ => null };
            if (w is not null)
            {
                list.Add(new MaskTarget(name.Length == 0 ? "weight" : name + ".weight", w, module));
            }
        }

        return list;
    }

    /// <summary>The selected targets of <paramref name="model"/>, in registration order.</summary>
    /// <exception cref="ArgumentException">A name in <see cref="Only"/> or <see cref="Exclude"/> is not a conv/linear weight of the model, or nothing is selected.</exception>
    public IReadOnlyList<MaskTarget> Resolve(Module model)
    {
        var all = Candidates(model);
        var names = all.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var n in Only.Concat(Exclude))
        {
            if (!names.Contains(n))
            {
                string? near = Nearest(n, names);
                throw new ArgumentException($"'{n}' is not a conv or linear weight of this model.{(near is null ? "" : $" Did you mean '{near}'?")} Maskable tensors: {string.Join(", ", all.Select(t => t.Name))}.");
            }
        }

        var selected = new List<MaskTarget>();
        for (int i = 0; i < all.Count; i++)
        {
            var t = all[i];
            bool keep = (Only.Count == 0 || Only.Contains(t.Name))
                && !Exclude.Contains(t.Name)
                && (IncludeFirst || i != 0)
                && (IncludeLast || i != all.Count - 1);
            if (keep)
            {
                selected.Add(t);
            }
        }

        if (selected.Count == 0)
        {
            throw new ArgumentException($"The mask selection leaves no tensor to mask (include first: {IncludeFirst}, include last: {IncludeLast}, only: [{string.Join(", ", Only)}], exclude: [{string.Join(", ", Exclude)}]).");
        }

        return selected;
    }

    private static string? Nearest(string input, IEnumerable<string> candidates) => Winnow.Settings.NameSuggestions.Nearest(input, candidates);
}
