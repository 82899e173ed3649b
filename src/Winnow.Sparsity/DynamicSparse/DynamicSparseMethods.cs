using Winnow.NN;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Registry of the dynamic-sparsity strategies by name (sparse_learning's <c>growth_funcs</c> /
/// <c>redistribution_funcs</c>, rigl's <c>get_mask_updater</c>); names are case-insensitive.
/// Drop is always magnitude.
/// </summary>
public static class DynamicSparseMethods
{
    /// <summary>Growth criteria.</summary>
    public static IReadOnlyList<string> GrowthNames { get; } = ["momentum", "gradient", "random"];

    /// <summary>Redistributions.</summary>
    public static IReadOnlyList<string> RedistributionNames { get; } = ["momentum", "magnitude", "nonzero", "none", "layerwise"];

    /// <summary>Prune-rate schedules.</summary>
    public static IReadOnlyList<string> ScheduleNames { get; } = ["cosine", "linear", "constant"];

    /// <summary>The growth criterion called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IGrowthCriterion Growth(string name) => name.ToLowerInvariant() switch
    {
        "momentum" => new MomentumGrowth(),
        "gradient" => new GradientGrowth(),
        "random" => new RandomGrowth(),
        _ => throw Unknown("growth criterion", name, GrowthNames),
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

    private static ArgumentException Unknown(string what, string name, IReadOnlyList<string> names)
        => new($"Unknown {what} '{name}'.{NameSuggestions.DidYouMean(name, names)} Known: {string.Join(", ", names)}.", nameof(name));
}
