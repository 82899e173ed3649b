namespace Winnow.Cli.Config;

/// <summary>One configurable setting: its kebab-case name, type, help text, accessors and the verbs that use it.</summary>
public sealed record ConfigField(string Name, Type Type, string Description, Func<TrainConfig, object?> Get, Action<TrainConfig, object?> Set)
{
    /// <summary>The verbs that accept this setting (flags, config files, resolved config.json).</summary>
    public ConfigVerbs Verbs { get; init; } = ConfigVerbs.All;

    /// <summary>What a null value means, for the help text ("auto", or "none" for an optional input).</summary>
    public string NullMeans { get; init; } = "auto";

    /// <summary>The `winnow` verbs that accept this setting, for messages ("`winnow prune`").</summary>
    public string VerbList => string.Join(" and ", Enum.GetValues<ConfigVerbs>()
        .Where(v => v != ConfigVerbs.All && Verbs.HasFlag(v))
        .Select(v => $"`winnow {v.ToString().ToLowerInvariant()}`"));
}
