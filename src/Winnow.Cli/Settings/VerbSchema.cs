using System.CommandLine;
using System.Reflection;
using Winnow.Settings;

namespace Winnow.Cli.Settings;

/// <summary>
/// The settings of one verb, generated from its options records (each property carrying a
/// <see cref="SettingAttribute"/>): the flags, the config-file keys and the resolved config.json
/// all come from here. Precedence: the verb's defaults &lt; the --config file &lt; flags.
/// </summary>
public sealed class VerbSchema
{
    private static readonly List<VerbSchema> s_all = [];
    private readonly object[] _defaults;
    private readonly List<(SettingInfo Setting, Option Option, bool Complement)> _options = [];

    /// <param name="verb">The verb's name ("train", "sparse-train").</param>
    /// <param name="defaults">One default instance of each options record the verb reads.</param>
    public VerbSchema(string verb, params object[] defaults)
    {
        Verb = verb;
        _defaults = defaults;
        var settings = new List<SettingInfo>();
        foreach (var section in defaults)
        {
            foreach (var p in section.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.GetCustomAttribute<SettingAttribute>() is { } a)
                {
                    var s = new SettingInfo(p, a, p.GetValue(section));
                    if (settings.FirstOrDefault(x => x.Matches(s.Name) || s.Aliases.Any(x.Matches)) is { } clash)
                    {
                        throw new InvalidOperationException($"`winnow {verb}`: setting '{s.Name}' of {p.DeclaringType!.Name} clashes with '{clash.Name}' of {clash.Section.Name}.");
                    }

                    settings.Add(s);
                }
            }
        }

        Settings = settings;
        lock (s_all)
        {
            s_all.RemoveAll(v => v.Verb == verb);
            s_all.Add(this);
        }
    }

    public string Verb { get; }

    public IReadOnlyList<SettingInfo> Settings { get; }

    /// <summary>The --config option (added by <see cref="AddOptions"/>).</summary>
    public Option<string>? ConfigOption { get; private set; }

    /// <summary>The setting called <paramref name="key"/> (any spelling or alias), or null.</summary>
    public SettingInfo? Find(string key) => Settings.FirstOrDefault(s => s.Matches(key));

    /// <summary>The setting whose options-record property is <paramref name="section"/>.<paramref name="property"/>, or null.</summary>
    public SettingInfo? FindProperty(Type section, string property) => Settings.FirstOrDefault(s => s.Section == section && s.Property.Name == property);

    /// <summary>Adds one option per setting (and --config) to <paramref name="command"/>.</summary>
    public void AddOptions(Command command)
    {
        foreach (var s in Settings)
        {
            string[] aliases = [.. s.Aliases.Select(a => "--" + a), .. s.Name == "out" ? new[] { "-o" } : []];
            Option option = s.ValueType == typeof(bool)
                ? new Option<bool>("--" + s.Name, aliases) { Description = Describe(s), Arity = ArgumentArity.ZeroOrOne }
                : new Option<string>("--" + s.Name, aliases) { Description = Describe(s), HelpName = HelpName(s) };
            command.Options.Add(option);
            _options.Add((s, option, false));
            if (s.Attribute.Complement is { } complement)
            {
                var c = new Option<string>("--" + complement) { Description = $"1 − {s.Name}: sets --{s.Name} to one minus this value.", HelpName = "number" };
                command.Options.Add(c);
                _options.Add((s, c, true));
            }
        }

        ConfigOption = new Option<string>("--config") { Description = "JSON or YAML file of settings (the flags' names as keys, e.g. a run's config.json); flags override it.", HelpName = "file" };
        command.Options.Add(ConfigOption);
    }

    /// <summary>
    /// Defaults &lt; <paramref name="configFile"/> (or the --config file) &lt; the flags of <paramref name="result"/>.
    /// </summary>
    /// <exception cref="CliException">A key, value or flag is invalid; the message names the flag, the config key and what is allowed.</exception>
    public ResolvedSettings Resolve(ParseResult? result, string? configFile = null)
    {
        var sections = _defaults.Select(Clone).ToArray();
        var values = new ResolvedSettings(this, sections);
        configFile ??= result is null || ConfigOption is null ? null : result.GetValue(ConfigOption);
        if (configFile is not null)
        {
            foreach (var entry in ConfigReader.Read(configFile))
            {
                ApplyEntry(values, entry);
            }
        }

        if (result is not null)
        {
            foreach (var (s, option, complement) in _options)
            {
                if (result.GetResult(option) is not { Implicit: false })
                {
                    continue;
                }

                var source = SettingSource.Flag(option.Name.TrimStart('-'));
                if (option is Option<bool> b)
                {
                    values.Set(s, result.GetValue(b), source);
                    continue;
                }

                string? text = result.GetValue((Option<string>)option);
                if (complement)
                {
                    if (values.WasGivenAsFlag(s))
                    {
                        throw new CliException($"Give --{s.Name} or --{s.Attribute.Complement}, not both ({s.Name} = 1 − {s.Attribute.Complement}).");
                    }

                    values.SetComplement(s, text, source);
                    continue;
                }

                values.Set(s, Parse(s, new SettingValues.Raw(text), source), source);
            }
        }

        values.Validate();
        return values;
    }

    /// <summary>The schemas of every verb built so far (for "this key belongs to `winnow lottery`").</summary>
    public static IReadOnlyList<VerbSchema> AllVerbs
    {
        get
        {
            lock (s_all)
            {
                return s_all.ToArray();
            }
        }
    }

    internal static object? Parse(SettingInfo s, SettingValues.Raw raw, SettingSource source)
    {
        try
        {
            return SettingValues.Parse(s, raw);
        }
        catch (SettingException e)
        {
            throw SettingsError.From(e, s, source);
        }
    }

    private void ApplyEntry(ResolvedSettings values, ConfigReader.Entry entry)
    {
        string where = $"Config file '{entry.Source.File}'{(entry.Source.Line is int l ? $" line {l}" : "")}";
        if (SettingInfo.Normalise(entry.Key) == "verb")
        {
            string? verb = entry.Value.Scalar;
            if (!string.Equals(verb, Verb, StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"{where} is a config of `winnow {verb}` (verb: {verb}), not of `winnow {Verb}`; run `winnow {verb} --config {entry.Source.File}`, or remove the verb line to reuse its settings here.");
            }

            return;
        }

        var s = Find(entry.Key);
        if (s is null && Settings.FirstOrDefault(x => x.Attribute.Complement is { } c && SettingInfo.Normalise(c) == SettingInfo.Normalise(entry.Key)) is { } complemented)
        {
            values.SetComplement(complemented, entry.Value.Scalar, entry.Source);
            return;
        }

        if (s is null)
        {
            var owners = AllVerbs.Where(v => v.Verb != Verb && v.Find(entry.Key) is not null).Select(v => $"`winnow {v.Verb}`").ToArray();
            if (owners.Length > 0)
            {
                throw new CliException($"{where}: setting '{entry.Key}' belongs to {string.Join(" and ", owners)}, not `winnow {Verb}`; remove it or run that verb.");
            }

            var names = Settings.Select(x => x.Name).ToArray();
            throw new CliException($"{where}: unknown setting '{entry.Key}'.{NameSuggestions.DidYouMean(entry.Key, names.Concat(Settings.SelectMany(x => x.Aliases)))} `winnow {Verb}` knows: {string.Join(", ", names)}.");
        }

        values.Set(s, Parse(s, entry.Value, entry.Source), entry.Source);
    }

    private static object Clone(object record)
        => record.GetType().GetMethod("<Clone>$")?.Invoke(record, null) ?? throw new InvalidOperationException($"{record.GetType().Name} is not a record.");

    private static string Describe(SettingInfo s)
    {
        string choices = s.Choices is { } c && c.Any(x => x.Help.Length > 0)
            ? " " + string.Join("; ", c.Select(x => x.Help.Length > 0 ? $"{x.Name}: {x.Help}" : x.Name)) + "."
            : s.Choices is { } plain ? $" One of {string.Join(", ", plain.Select(x => x.Name))}." : "";
        string range = s.Choices is null && s.ValueType != typeof(bool) && s.ValueType != typeof(string) ? $" Expected {s.Expected}." : "";
        return $"{s.Help}{choices}{range} [default: {s.DefaultText}]";
    }

    private static string HelpName(SettingInfo s)
    {
        var t = s.ValueType.IsArray ? s.ValueType.GetElementType()! : s.ValueType;
        string one = s.Choices is not null ? "name" : t == typeof(int) || t == typeof(long) || t == typeof(ulong) ? "int" : t == typeof(double) || t == typeof(float) ? "number" : "value";
        return s.ValueType.IsArray ? one + ",..." : one;
    }
}
