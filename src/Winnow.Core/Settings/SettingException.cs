namespace Winnow.Settings;

/// <summary>
/// The one error for an invalid setting value: which setting (its kebab-case name), the value given
/// and what is allowed. The library throws it from option records and registries; the command line
/// catches it and names the flag and the config key (`--lr`, config key `lr`). Nothing parses its
/// message: the parts are properties.
/// </summary>
public sealed class SettingException : ArgumentException
{
    public SettingException(string setting, string? value, string expected, string? hint = null)
        : base(Compose(setting, value, expected, hint))
    {
        Setting = setting;
        Value = value;
        Expected = expected;
        Hint = hint;
    }

    /// <summary>The setting's kebab-case name ("lr", "prune-rate").</summary>
    public string Setting { get; }

    /// <summary>The value as given (null when it was missing or null).</summary>
    public string? Value { get; }

    /// <summary>What is allowed ("a number in [0, 1)", "one of sgd, adam").</summary>
    public string Expected { get; }

    /// <summary>A suggestion or a consequence ("Did you mean 'rigl'?"), or null.</summary>
    public string? Hint { get; }

    /// <summary>The message with the setting's name replaced by <paramref name="who"/> (e.g. "--lr (config key lr)").</summary>
    public string MessageFor(string who) => Compose(who, Value, Expected, Hint);

    /// <summary>Throws when <paramref name="ok"/> is false.</summary>
    /// <exception cref="SettingException">Always, when <paramref name="ok"/> is false.</exception>
    public static void Require(bool ok, string setting, object? value, string expected, string? hint = null)
    {
        if (!ok)
        {
            throw new SettingException(setting, Text(value), expected, hint);
        }
    }

    /// <summary>A value as a user would type it (invariant culture; R for doubles).</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable x => x.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Compose(string who, string? value, string expected, string? hint)
        => $"{who} {(value is null ? "is missing" : $"'{value}' is invalid")}: expected {expected}.{(hint is null ? "" : " " + hint)}";
}
