using System.Globalization;
using System.Reflection;
using Winnow.Settings;

namespace Winnow.Cli.Settings;

/// <summary>
/// Parses, checks and formats setting values generically, by the property's type: strings, integers,
/// numbers, booleans, enums (by <see cref="SettingValueAttribute"/> names), lists (comma-separated or
/// config-file lists) and types with a static <c>Parse(string)</c> (e.g. training points "10ep").
/// </summary>
public static class SettingValues
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A raw value: one scalar text, or the items of a list (from a config file or "a,b,c").</summary>
    public sealed record Raw(string? Scalar, IReadOnlyList<string>? Items = null)
    {
        public override string ToString() => Items is null ? Scalar ?? "null" : string.Join(",", Items);
    }

    /// <summary>Parses and range-checks <paramref name="raw"/> for <paramref name="s"/>.</summary>
    /// <exception cref="SettingException">Not a valid value; the parts say what was expected.</exception>
    public static object? Parse(SettingInfo s, Raw raw)
    {
        if (raw.Items is null && raw.Scalar is null or "null" or "~")
        {
            return s.IsNullable ? null : throw new SettingException(s.Name, "null", s.Expected, $"Omit it for the default ({s.DefaultText}).");
        }

        var t = s.ValueType;
        if (t.IsArray)
        {
            var element = t.GetElementType()!;
            var items = raw.Items ?? raw.Scalar!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var array = Array.CreateInstance(element, items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                array.SetValue(ParseScalar(s, element, items[i], raw.ToString()), i);
            }

            return array;
        }

        if (raw.Items is not null)
        {
            throw new SettingException(s.Name, raw.ToString(), s.Expected, "It takes one value, not a list.");
        }

        return ParseScalar(s, t, raw.Scalar!, raw.Scalar!);
    }

    /// <summary>Checks the range of an already-typed value.</summary>
    /// <exception cref="SettingException">Outside the declared range.</exception>
    public static void CheckRange(SettingInfo s, object? value)
    {
        if (value is Array a)
        {
            foreach (var item in a)
            {
                CheckRange(s, item);
            }

            return;
        }

        double? x = value switch { int i => i, long l => l, double d => d, float f => f, ulong u => u, _ => null };
        if (x is not double v)
        {
            return;
        }

        var at = s.Attribute;
        bool ok = double.IsFinite(v)
            && (double.IsNaN(at.Min) || (at.MinExclusive ? v > at.Min : v >= at.Min))
            && (double.IsNaN(at.Max) || (at.MaxExclusive ? v < at.Max : v <= at.Max));
        if (!ok)
        {
            throw new SettingException(s.Name, SettingException.Text(value), s.Expected);
        }
    }

    /// <summary>The value as a config file holds it (JSON-ready: numbers stay numbers, enums become their names).</summary>
    public static object? ToJson(SettingInfo s, object? value) => value switch
    {
        null => null,
        Array a => a.Cast<object?>().Select(v => ToJson(s, v)).ToArray(),
        Enum e => EnumName(e),
        string or bool or int or long or ulong or double or float => value,
        _ => value.ToString(),
    };

    /// <summary>The value as a user types it.</summary>
    public static string Format(SettingInfo s, object? value) => value switch
    {
        null => "",
        Array a => string.Join(",", a.Cast<object?>().Select(v => Format(s, v))),
        Enum e => EnumName(e),
        _ => SettingException.Text(value) ?? "",
    };

    /// <summary>What <paramref name="s"/> accepts, in words.</summary>
    public static string Expected(SettingInfo s)
    {
        var t = s.ValueType;
        bool list = t.IsArray;
        var e = list ? t.GetElementType()! : t;
        string what = s.Choices is { } c ? "one of " + string.Join(", ", c.Select(x => x.Name))
            : e == typeof(int) || e == typeof(long) || e == typeof(ulong) ? "an integer"
            : e == typeof(double) || e == typeof(float) ? "a number"
            : e == typeof(bool) ? "true or false"
            : e.Name == "TrainingPoint" ? "a training point: N (steps), Nit, Nep (epochs) or N%"
            : "a text";
        var at = s.Attribute;
        string range = (double.IsNaN(at.Min), double.IsNaN(at.Max)) switch
        {
            (false, false) => $" in {(at.MinExclusive ? "(" : "[")}{N(at.Min)}, {N(at.Max)}{(at.MaxExclusive ? ")" : "]")}",
            (false, true) => $" {(at.MinExclusive ? ">" : "≥")} {N(at.Min)}",
            (true, false) => $" {(at.MaxExclusive ? "<" : "≤")} {N(at.Max)}",
            _ => "",
        };
        string note = at.Note is null ? "" : $" ({at.Note})";
        return list ? $"a comma-separated list of {PluralOf(what)}{range}{note}" : $"{what}{range}{note}";
    }

    /// <summary>The names an enum or registry-backed setting accepts, or null.</summary>
    public static IReadOnlyList<SettingChoice>? ChoicesOf(SettingInfo s)
    {
        var e = s.ValueType.IsArray ? s.ValueType.GetElementType()! : s.ValueType;
        if (e.IsEnum)
        {
            return e.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => f.GetCustomAttribute<SettingValueAttribute>() is { } v ? new SettingChoice(v.Name, v.Help) : new SettingChoice(Kebab(f.Name), ""))
                .ToArray();
        }

        if (s.Attribute.Choices is { } registry)
        {
            var p = registry.GetProperty("Choices", BindingFlags.Public | BindingFlags.Static)
                ?? throw new InvalidOperationException($"{registry.Name} has no public static Choices property (setting {s.Name}).");
            return (IReadOnlyList<SettingChoice>)p.GetValue(null)!;
        }

        return null;
    }

    /// <summary>kebab-case of a PascalCase name (LrRewind → lr-rewind).</summary>
    public static string Kebab(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(pascal[i]));
        }

        return sb.ToString();
    }

    private static string EnumName(Enum e)
    {
        var f = e.GetType().GetField(e.ToString())!;
        return f.GetCustomAttribute<SettingValueAttribute>()?.Name ?? Kebab(f.Name);
    }

    private static object ParseScalar(SettingInfo s, Type t, string text, string whole)
    {
        text = text.Trim();
        object? v = null;
        if (t == typeof(string))
        {
            v = text;
        }
        else if (t == typeof(int) && int.TryParse(text, NumberStyles.Integer, Inv, out int i))
        {
            v = i;
        }
        else if (t == typeof(long) && long.TryParse(text, NumberStyles.Integer, Inv, out long l))
        {
            v = l;
        }
        else if (t == typeof(ulong) && ulong.TryParse(text, NumberStyles.Integer, Inv, out ulong u))
        {
            v = u;
        }
        else if (t == typeof(double) && double.TryParse(text, NumberStyles.Float, Inv, out double d))
        {
            v = d;
        }
        else if (t == typeof(float) && float.TryParse(text, NumberStyles.Float, Inv, out float f))
        {
            v = f;
        }
        else if (t == typeof(bool))
        {
            v = text.ToLowerInvariant() switch { "true" or "yes" or "on" or "1" => true, "false" or "no" or "off" or "0" => false, _ => null };
        }
        else if (t.IsEnum)
        {
            v = ParseEnum(t, text);
        }
        else if (t.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, [typeof(string)]) is { } parse)
        {
            try
            {
                v = parse.Invoke(null, [text]);
            }
            catch (TargetInvocationException e) when (e.InnerException is FormatException or ArgumentException)
            {
                v = null;
            }
        }

        if (v is null)
        {
            throw new SettingException(s.Name, whole, s.Expected, s.Choices is { } c ? NameSuggestions.DidYouMean(text, c.Select(x => x.Name)).Trim() is { Length: > 0 } h ? h : null : null);
        }

        if (s.Choices is { } choices && t == typeof(string))
        {
            var match = choices.FirstOrDefault(c => string.Equals(c.Name, text, StringComparison.OrdinalIgnoreCase))
                ?? throw new SettingException(s.Name, whole, s.Expected, NameSuggestions.DidYouMean(text, choices.Select(x => x.Name)).Trim() is { Length: > 0 } h ? h : null);
            v = match.Name;
        }

        CheckRange(s, v);
        return v;
    }

    private static object? ParseEnum(Type t, string text)
    {
        foreach (var f in t.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var a = f.GetCustomAttribute<SettingValueAttribute>();
            var names = a is null ? [Kebab(f.Name)] : a.Aliases.Prepend(a.Name);
            if (names.Any(n => SettingInfo.Normalise(n) == SettingInfo.Normalise(text)))
            {
                return f.GetValue(null);
            }
        }

        return null;
    }

    private static string PluralOf(string what) => what switch
    {
        "an integer" => "integers",
        "a number" => "numbers",
        "a text" => "texts",
        _ when what.StartsWith("one of", StringComparison.Ordinal) => "names, each " + what,
        _ => what,
    };

    private static string N(double x) => x.ToString("G", Inv);
}
