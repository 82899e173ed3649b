using Winnow.NN;
using Winnow.NN.Training;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.Pruning;

namespace Winnow.Sparsity;

/// <summary>
/// The registry of pruning strategies by name (STYLE.md §4; rigl's <c>get_mask_updater</c>,
/// sparse_learning's <c>prune_funcs</c>): criteria say WHAT to keep — "magnitude" |w|, "random"
/// U[0,1), "snip" |w·∂L/∂w| — and distributions say WHERE — "uniform", "er", "erk", "global".
/// Names are matched case-insensitively.
/// <code>Pruner.Prune(masks, SparsityMethods.Criterion("magnitude"), SparsityMethods.Distribution("erk"), 0.1);</code>
/// </summary>
public static class SparsityMethods
{
    private static readonly (string Name, string Description)[] Criteria =
    [
        ("magnitude", "|w| of the current weights (Han et al. 2015; IMP, gradual pruning)"),
        ("random", "uniform random scores from the seeded generator (random pruning baseline)"),
        ("snip", "|w · dL/dw| from one mini-batch at the current weights (Lee et al. 2019)"),
    ];

    private static readonly (string Name, string Description)[] Distributions =
    [
        ("uniform", "every tensor keeps round(d·n)"),
        ("er", "Erdős–Rényi: density ∝ (in + out)/(in·out), dense-capped (Mocanu et al. 2018)"),
        ("erk", "Erdős–Rényi-Kernel: density ∝ Σdims/Πdims, dense-capped (RigL, Evci et al. 2020)"),
        ("global", "one threshold over all tensors: the round(d·N) highest scores"),
    ];

    /// <summary>Registered criterion names.</summary>
    public static IReadOnlyList<string> CriterionNames { get; } = Criteria.Select(c => c.Name).ToArray();

    /// <summary>Registered distribution names.</summary>
    public static IReadOnlyList<string> DistributionNames { get; } = Distributions.Select(d => d.Name).ToArray();

    /// <summary>One-line description of a registered criterion or distribution (for help and <c>winnow info</c>).</summary>
    /// <exception cref="ArgumentException">The name is not registered.</exception>
    public static string Describe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var all = Criteria.Concat(Distributions).ToArray();
        foreach (var (registered, description) in all)
        {
            if (Matches(registered, name))
            {
                return description;
            }
        }

        throw Unknown("criterion or distribution", name, all.Select(e => e.Name).ToArray());
    }

    /// <summary>
    /// The criterion called <paramref name="name"/>. "random" needs <paramref name="rng"/>; "snip" needs
    /// <paramref name="model"/> and one <paramref name="batch"/> and runs its forward/backward here.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the names and suggests the nearest),
    /// or an input the criterion needs is missing.</exception>
    public static IPruningCriterion Criterion(string name, Rng? rng = null, Module? model = null, LabeledBatch? batch = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.ToLowerInvariant())
        {
            case "magnitude":
                return new MagnitudeCriterion();
            case "random":
                return new RandomCriterion(rng ?? throw new ArgumentException("The 'random' criterion needs a seeded Rng (pass rng).", nameof(rng)));
            case "snip":
                if (model is null || batch is not { } b)
                {
                    throw new ArgumentException("The 'snip' criterion needs the model and one mini-batch (images and labels) to compute |w·dL/dw| (pass model and batch).", model is null ? nameof(model) : nameof(batch));
                }

                return new SnipCriterion(model, b.Images, b.Labels);
            default:
                throw Unknown("pruning criterion", name, CriterionNames);
        }
    }

    /// <summary>The distribution called <paramref name="name"/> (a new instance with default options).</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the names and suggests the nearest).</exception>
    public static IDensityDistribution Distribution(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "uniform" => new UniformDistribution(),
            "er" => new ErdosRenyiDistribution(),
            "erk" => new ErkDistribution(),
            "global" => new GlobalDistribution(),
            _ => throw Unknown("density distribution", name, DistributionNames),
        };
    }

    private static bool Matches(string registered, string name) => string.Equals(registered, name, StringComparison.OrdinalIgnoreCase);

    private static ArgumentException Unknown(string what, string name, IReadOnlyList<string> names)
        => new($"Unknown {what} '{name}'.{Winnow.Settings.NameSuggestions.DidYouMean(name, names)} Known: {string.Join(", ", names)}.", nameof(name));
}
