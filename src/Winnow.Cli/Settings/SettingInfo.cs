using System.Globalization;
using System.Reflection;
using Winnow.Settings;

namespace Winnow.Cli.Settings;

/// <summary>
/// One setting as the command line sees it: read from a <see cref="SettingAttribute"/> on a property
/// of a library options record (the one definition), with the verb's default value.
/// </summary>
public sealed class SettingInfo
{
    internal SettingInfo(PropertyInfo property, SettingAttribute attribute, object? defaultValue)
    {
        Property = property;
        Attribute = attribute;
        Default = defaultValue;
        ValueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        IsNullable = !property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null;
        Choices = SettingValues.ChoicesOf(this);
    }

    /// <summary>The kebab-case name: `--name` and the config key.</summary>
    public string Name => Attribute.Name;

    public string Help => Attribute.Help;

    /// <summary>Accepted older spellings (kebab-case).</summary>
    public IReadOnlyList<string> Aliases => Attribute.Aliases;

    public PropertyInfo Property { get; }

    public SettingAttribute Attribute { get; }

    /// <summary>The verb's default.</summary>
    public object? Default { get; }

    /// <summary>The property type without Nullable&lt;&gt;.</summary>
    public Type ValueType { get; }

    /// <summary>Null is a meaningful value (auto/none).</summary>
    public bool IsNullable { get; }

    /// <summary>The allowed names of an enum or registry setting, else null.</summary>
    public IReadOnlyList<SettingChoice>? Choices { get; }

    /// <summary>The options record type that owns the setting.</summary>
    public Type Section => Property.DeclaringType!;

    /// <summary>Whether <paramref name="key"/> (any case; kebab, snake or camel) names this setting or one of its aliases.</summary>
    public bool Matches(string key)
    {
        string k = Normalise(key);
        return Normalise(Name) == k || Aliases.Any(a => Normalise(a) == k);
    }

    /// <summary>What the setting accepts, in words ("a number ≥ 0", "one of sgd, adam").</summary>
    public string Expected => SettingValues.Expected(this);

    /// <summary>The default as shown in --help.</summary>
    public string DefaultText => Default switch
    {
        null => Attribute.NullMeans,
        _ => SettingValues.Format(this, Default) is { Length: > 0 } s ? s : "none",
    };

    /// <summary>kebab-case, snake_case and camelCase compare equal.</summary>
    public static string Normalise(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLower(CultureInfo.InvariantCulture);

    public override string ToString() => Name;
}
