namespace Winnow.Settings;

/// <summary>The name (and help) of an enum member as a setting value, e.g. <c>[SettingValue("lr-rewind", "rewind only the LR")]</c>; without it the member's name in kebab-case.</summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false)]
public sealed class SettingValueAttribute(string name, string help = "") : Attribute
{
    public string Name { get; } = name;

    public string Help { get; } = help;

    /// <summary>Older spellings accepted for this value.</summary>
    public string[] Aliases { get; init; } = [];
}
