using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Winnow.Cli.Settings;

/// <summary>
/// Reads a config file — one flat JSON object or one YAML mapping of settings — into key/value
/// entries in file order. Lists are allowed as values (`milestones: [30, 60]`); nested mappings,
/// duplicate keys, several YAML documents and non-scalar keys are errors that name the file and line.
/// </summary>
public static class ConfigReader
{
    /// <summary>One key of the file with its raw value and where it is.</summary>
    public sealed record Entry(string Key, SettingValues.Raw Value, SettingSource Source);

    /// <exception cref="CliException">The file is missing, unreadable or malformed.</exception>
    public static IReadOnlyList<Entry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"Config file '{path}' does not exist. Pass a JSON (.json) or YAML (.yaml/.yml) file with settings such as {{\"model\": \"lenet5\", \"epochs\": 5}}.");
        }

        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException)
        {
            throw new CliException($"Config file '{path}' is not UTF-8 text; save it as UTF-8 JSON or YAML.");
        }

        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReadJson(path, text) : ReadYaml(path, text);
    }

    private static List<Entry> ReadJson(string path, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"Config file '{path}' must hold a JSON object of settings ({{\"key\": value, …}}), not a {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }

            var list = new List<Entry>();
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                string norm = SettingInfo.Normalise(p.Name);
                if (seen.TryGetValue(norm, out var first))
                {
                    throw new CliException($"Config file '{path}': setting '{p.Name}' is given twice{(first == p.Name ? "" : $" (also as '{first}')")}; keep one.");
                }

                seen[norm] = p.Name;
                var source = new SettingSource(path, p.Name);
                list.Add(new Entry(p.Name, JsonValue(path, p.Name, p.Value), source));
            }

            return list;
        }
        catch (JsonException e)
        {
            throw new CliException($"Config file '{path}' is not valid JSON{(e.LineNumber is long l ? $" (line {l + 1})" : "")}: {e.Message.Split(" Path:")[0]}");
        }
    }

    private static SettingValues.Raw JsonValue(string path, string key, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => new(v.GetString()),
        JsonValueKind.Number => new(v.GetRawText()),
        JsonValueKind.True => new("true"),
        JsonValueKind.False => new("false"),
        JsonValueKind.Null => new(null),
        JsonValueKind.Array => new(null, v.EnumerateArray().Select(e => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString()!,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
            _ => throw new CliException($"Config file '{path}': setting '{key}' is a list of {e.ValueKind.ToString().ToLowerInvariant()}s; list items must be numbers or strings."),
        }).ToArray()),
        _ => throw new CliException($"Config file '{path}': setting '{key}' is an object; settings are flat (key: value), e.g. \"lr\": 0.1."),
    };

    private static List<Entry> ReadYaml(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CliException($"Config file '{path}' is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {(e.InnerException ?? e).Message}");
        }

        if (stream.Documents.Count == 0)
        {
            return [];
        }

        if (stream.Documents.Count > 1)
        {
            throw new CliException($"Config file '{path}' holds {stream.Documents.Count} YAML documents (separated by ---); a config is one mapping of settings. Merge them or split them into files.");
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        if (root is not YamlMappingNode map)
        {
            throw new CliException($"Config file '{path}' must hold a YAML mapping of settings (key: value lines), not a {(root is YamlSequenceNode ? "list" : "single value")} (line {root.Start.Line}).");
        }

        var list = new List<Entry>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode { Value: { } key })
            {
                throw new CliException($"Config file '{path}' line {k.Start.Line}: a key must be a plain name such as 'lr', not a {(k is YamlSequenceNode ? "list" : "mapping")}.");
            }

            int line = (int)k.Start.Line;
            string norm = SettingInfo.Normalise(key);
            if (seen.TryGetValue(norm, out var first))
            {
                throw new CliException($"Config file '{path}' line {line}: setting '{key}' is given twice{(first == key ? "" : $" (also as '{first}')")}; keep one.");
            }

            seen[norm] = key;
            SettingValues.Raw raw = v switch
            {
                YamlScalarNode s => new(s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is null or "~" or "null" or "" ? null : s.Value),
                YamlSequenceNode seq => new(null, seq.Children.Select(c => c is YamlScalarNode { Value: { } item } ? item
                    : throw new CliException($"Config file '{path}' line {c.Start.Line}: setting '{key}' holds a nested {(c is YamlSequenceNode ? "list" : "mapping")}; list items must be plain values, e.g. {key}: [30, 60].")).ToArray()),
                _ => throw new CliException($"Config file '{path}' line {line}: setting '{key}' holds a mapping; settings are flat (key: value), e.g. lr: 0.1."),
            };
            list.Add(new Entry(key, raw, new SettingSource(path, key, line)));
        }

        return list;
    }
}
