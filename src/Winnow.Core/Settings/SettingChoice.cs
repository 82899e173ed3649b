namespace Winnow.Settings;

/// <summary>One allowed value of a setting: the name a user types and one line of help.</summary>
public sealed record SettingChoice(string Name, string Help);
