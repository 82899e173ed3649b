using Winnow.NN;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Registry of the dynamic-sparsity strategies by name (sparse_learning's <c>growth_funcs</c> /
/// <c>redistribution_funcs</c>, <c>prune_funcs</c>, rigl's <c>get_mask_updater</c>); names are case-insensitive,
/// and in drop and growth names '-' and '_' are interchangeable (global-magnitude = global_magnitude).
/// </summary>
public static class DynamicSparseMethods
{
    /// <summary>Growth criteria.</summary>
    public static IReadOnlyList<string> GrowthNames { get; } = ["momentum", "gradient", "random", "momentum_neuron", "global_momentum_growth"];

    /// <summary>Drop criteria (sparse_learning's prune modes).</summary>
    public static IReadOnlyList<string> DropNames { get; } = ["magnitude", "global_magnitude"];

    /// <summary>Initial mask distributions; er-search is sparse_learning's "linear" mode (that name is accepted too).</summary>
    public static IReadOnlyList<string> InitNames { get; } = ["uniform", "er", "erk", "er-search"];

    /// <summary>Redistributions.</summary>
    public static IReadOnlyList<string> RedistributionNames { get; } = ["momentum", "magnitude", "nonzero", "none", "layerwise"];

    /// <summary>Prune-rate schedules.</summary>
    public static IReadOnlyList<string> ScheduleNames { get; } = ["cosine", "linear", "constant"];

    /// <summary>The growth criterion called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IGrowthCriterion Growth(string name) => Normalise(name) switch
    {
        "momentum" => new MomentumGrowth(),
        "gradient" => new GradientGrowth(),
        "random" => new RandomGrowth(),
        "momentum_neuron" => new MomentumNeuronGrowth(),
        "global_momentum_growth" => new GlobalMomentumGrowth(),
        _ => throw Unknown("growth criterion", name, GrowthNames),
    };

    /// <summary>The drop criterion called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IDropCriterion Drop(string name) => Normalise(name) switch
    {
        "magnitude" => new MagnitudeDrop(),
        "global_magnitude" => new GlobalMagnitudeDrop(),
        _ => throw Unknown("drop criterion", name, DropNames),
    };

    /// <summary>The canonical init name for <paramref name="name"/> ("linear" → "er-search").</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static string Init(string name) => name.ToLowerInvariant() switch
    {
        "linear" => "er-search",
        var known when InitNames.Contains(known) => known,
        _ => throw Unknown("mask init", name, InitNames),
    };

    /// <summary>The redistribution called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IRedistribution Redistribution(string name) => name.ToLowerInvariant() switch
    {
        "momentum" => new MomentumRedistribution(),
        "magnitude" => new MagnitudeRedistribution(),
        "nonzero" => new NonzeroRedistribution(),
        "none" => new SizeRedistribution(),
        "layerwise" => new LayerwiseRedistribution(),
        _ => throw Unknown("redistribution", name, RedistributionNames),
    };

    /// <summary>The schedule named in <paramref name="options"/>, with its p0, floor and horizon.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IPruneRateSchedule Schedule(DynamicSparseOptions options) => options.Schedule.ToLowerInvariant() switch
    {
        "cosine" => new CosineRateSchedule(options.PruneRate, options.MinPruneRate, options.StopFraction),
        "linear" => new LinearRateSchedule(options.PruneRate),
        "constant" => new ConstantRateSchedule(options.PruneRate),
        _ => throw Unknown("prune-rate schedule", options.Schedule, ScheduleNames),
    };

    private static string Normalise(string name) => name.ToLowerInvariant().Replace('-', '_');

    private static ArgumentException Unknown(string what, string name, IReadOnlyList<string> names)
        => new($"Unknown {what} '{name}'.{Winnow.Settings.NameSuggestions.DidYouMean(name, names)} Known: {string.Join(", ", names)}.", nameof(name));
}
