using System.Globalization;
using Winnow.Settings;

namespace Winnow.Cli.Settings;

/// <summary>
/// A verb's settings after defaults, config file and flags: the options records themselves
/// (<see cref="Get{T}"/>), which settings were given explicitly, and the flat resolved config that a
/// run directory's config.json holds (and that `--config` reads back to the same records).
/// </summary>
public sealed class ResolvedSettings
{
    private readonly object[] _sections;
    private readonly Dictionary<SettingInfo, SettingSource> _given = [];

    internal ResolvedSettings(VerbSchema schema, object[] sections)
    {
        Schema = schema;
        _sections = sections;
    }

    public VerbSchema Schema { get; }

    /// <summary>The options record of type <typeparamref name="T"/>.</summary>
    public T Get<T>() => (T)(_sections.FirstOrDefault(s => s is T) ?? throw new InvalidOperationException($"`winnow {Schema.Verb}` has no {typeof(T).Name} settings."));

    /// <summary>Replaces the record of type <typeparamref name="T"/> (a verb deriving a setting, e.g. the model read from --from).</summary>
    public void Replace<T>(T value)
        where T : notnull
    {
        int i = Array.FindIndex(_sections, s => s is T);
        _sections[i >= 0 ? i : throw new InvalidOperationException($"`winnow {Schema.Verb}` has no {typeof(T).Name} settings.")] = value;
    }

    /// <summary>Whether the setting <paramref name="name"/> was given by a flag or the config file.</summary>
    public bool WasGiven(string name) => Schema.Find(name) is { } s && _given.ContainsKey(s);

    /// <summary>Whether the setting <paramref name="name"/> was given on the command line.</summary>
    public bool WasGivenAsFlag(string name) => Schema.Find(name) is { } s && WasGivenAsFlag(s);

    /// <summary>The names of the settings given as flags.</summary>
    public IReadOnlyList<string> FlagNames => _given.Where(g => g.Value.IsFlag).Select(g => g.Key.Name).ToArray();

    /// <summary>The resolved config (verb first, then every setting in schema order, JSON-ready values).</summary>
    public Dictionary<string, object?> ToConfig()
    {
        var d = new Dictionary<string, object?> { ["verb"] = Schema.Verb };
        foreach (var s in Schema.Settings)
        {
            d[s.Name] = SettingValues.ToJson(s, s.Property.GetValue(Section(s)));
        }

        return d;
    }

    /// <summary>The current value of <paramref name="s"/>.</summary>
    public object? ValueOf(SettingInfo s) => s.Property.GetValue(Section(s));

    /// <summary>A setting's value as a user types it (for messages).</summary>
    public string Text(string name) => Schema.Find(name) is { } s ? SettingValues.Format(s, ValueOf(s)) : "";

    internal bool WasGivenAsFlag(SettingInfo s) => _given.TryGetValue(s, out var src) && src.IsFlag;

    internal void Set(SettingInfo s, object? value, SettingSource source)
    {
        s.Property.SetValue(Section(s), value);
        _given[s] = source;
    }

    internal void SetComplement(SettingInfo s, string? text, SettingSource source)
    {
        string name = s.Attribute.Complement!;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !(x >= 0 && x < 1))
        {
            throw new CliException(new SettingException(name, text, $"a fraction in [0, 1) (it sets {s.Name} = 1 − {name})").MessageFor(source.IsFlag ? $"--{name} (config key {name})" : $"config file '{source.File}': {source.Key}"));
        }

        Set(s, s.ValueType == typeof(float) ? (object)(float)(1 - x) : 1 - x, source);
    }

    /// <summary>Runs each record's own checks (a parameterless Validate()), mapping its errors to the flag and key.</summary>
    internal void Validate()
    {
        foreach (var section in _sections)
        {
            if (section.GetType().GetMethod("Validate", Type.EmptyTypes) is not { } validate)
            {
                continue;
            }

            try
            {
                validate.Invoke(section, null);
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is SettingException se)
            {
                throw Schema.Find(se.Setting) is { } s ? SettingsError.From(se, s, _given.GetValueOrDefault(s)) : new CliException(se.Message);
            }
        }
    }

    private object Section(SettingInfo s) => _sections.First(x => s.Section.IsInstanceOfType(x));
}
