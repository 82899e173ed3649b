namespace Winnow.Settings;

/// <summary>
/// Declares a property of a library options record as a user-facing setting: its kebab-case name
/// (the `--flag` and the config-file key), its help text and its checks. The record's initialiser is
/// the default. This attribute, on the record, is the one definition of the setting: the command
/// line, JSON/YAML config files and the resolved config.json of a run are all generated from it.
/// Enum-typed settings accept their members' names (<see cref="SettingValueAttribute"/>); string
/// settings with <see cref="Choices"/> accept the names of a registry.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SettingAttribute(string name, string help) : Attribute
{
    /// <summary>The kebab-case name: `--name` on the command line, `name` in config files (snake_case and camelCase are accepted too).</summary>
    public string Name { get; } = name;

    /// <summary>One sentence for `--help`.</summary>
    public string Help { get; } = help;

    /// <summary>Smallest allowed value of a numeric setting (NaN: no bound).</summary>
    public double Min { get; init; } = double.NaN;

    /// <summary>Largest allowed value of a numeric setting (NaN: no bound).</summary>
    public double Max { get; init; } = double.NaN;

    /// <summary><see cref="Min"/> itself is not allowed.</summary>
    public bool MinExclusive { get; init; }

    /// <summary><see cref="Max"/> itself is not allowed.</summary>
    public bool MaxExclusive { get; init; }

    /// <summary>Older or alternative spellings accepted as flags and config keys (kebab-case).</summary>
    public string[] Aliases { get; init; } = [];

    /// <summary>A second name that sets 1 − value (e.g. "sparsity" for a density setting).</summary>
    public string? Complement { get; init; }

    /// <summary>A type with a public static <c>IReadOnlyList&lt;SettingChoice&gt; Choices</c> property: the names a string setting accepts.</summary>
    public Type? Choices { get; init; }

    /// <summary>What a null value means, for the help text ("auto", "none", "the method's default").</summary>
    public string NullMeans { get; init; } = "auto";

    /// <summary>Extra words after the range for `--help` and errors (e.g. "0 = all cores").</summary>
    public string? Note { get; init; }
}
