using Winnow.Settings;

namespace Winnow.Cli.Settings;

/// <summary>
/// Words for an invalid setting that name both spellings a user may have used: the flag and the
/// config key (and the file when it came from one).
/// </summary>
public static class SettingsError
{
    /// <summary>"--lr (config key lr)" for a flag, "config file F line 3: lr (flag --lr)" for a file.</summary>
    public static string Who(SettingInfo setting, SettingSource? source) => source is { IsFlag: false }
        ? $"config file '{source.File}'{(source.Line is int l ? $" line {l}" : "")}: {source.Key} (flag --{setting.Name})"
        : $"--{setting.Name} (config key {setting.Name})";

    /// <summary>A <see cref="CliException"/> for a library <see cref="SettingException"/> about <paramref name="setting"/>.</summary>
    public static CliException From(SettingException e, SettingInfo setting, SettingSource? source) => new(e.MessageFor(Who(setting, source)));

    /// <summary>A <see cref="CliException"/> for a <see cref="SettingException"/> whose setting is looked up in <paramref name="schema"/>.</summary>
    public static CliException From(SettingException e, VerbSchema schema)
        => schema.Find(e.Setting) is { } s ? From(e, s, null) : new CliException(e.Message);
}
