namespace Winnow.Cli.Settings;

/// <summary>Where a setting's value came from, so an error names the flag or the file and key.</summary>
public sealed record SettingSource(string? File, string Key, int? Line = null)
{
    /// <summary>A command-line flag.</summary>
    public static SettingSource Flag(string name) => new(null, name);

    public bool IsFlag => File is null;
}
