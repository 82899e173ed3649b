using System.Text.Json;
using Winnow.NN;
using YamlDotNet.RepresentationModel;

namespace Winnow.Cli.Config;

/// <summary>
/// Reads a flat JSON object or YAML mapping of settings (keys as in <see cref="ConfigSchema"/>,
/// kebab-case or snake_case) onto a <see cref="TrainConfig"/>.
/// </summary>
public static class ConfigFile
{
    /// <summary>Applies every key of the file at <paramref name="path"/> to <paramref name="config"/>.</summary>
    /// <exception cref="CliException">The file is missing or malformed, a key is unknown or belongs to another verb, or a value has the wrong type.</exception>
    public static void Apply(string path, TrainConfig config, ISet<string>? ignoredKeys = null)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"Config file '{path}' does not exist. Pass a JSON (.json) or YAML (.yaml/.yml) file with settings such as {{\"model\": \"lenet5\", \"epochs\": 5}}.");
        }

        string text = File.ReadAllText(path);
        var pairs = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReadJson(path, text) : ReadYaml(path, text);
        foreach (var (key, value) in pairs)
        {
            if (ignoredKeys is not null && ignoredKeys.Contains(ConfigSchema.Normalise(key)))
            {
                continue;
            }

            var known = ConfigSchema.For(config.Verb);
            // A name may exist for several verbs (e.g. "method"): prefer this verb's own field.
            var field = known.FirstOrDefault(f => ConfigSchema.Normalise(f.Name) == ConfigSchema.Normalise(key)) ?? ConfigSchema.Find(key)
                ?? throw new CliException($"Config file '{path}': unknown setting '{key}'.{Winnow.Settings.NameSuggestions.DidYouMean(key, known.Select(f => f.Name))} Known settings: {string.Join(", ", known.Select(f => f.Name))}.");
            if ((field.Verbs & config.Verb) == 0)
            {
                throw new CliException($"Config file '{path}': setting '{key}' belongs to {field.VerbList}, not `winnow {config.Verb.ToString().ToLowerInvariant()}`; remove it or run that verb.");
            }

            try
            {
                field.Set(config, value is null ? null : ConfigSchema.ParseValue(field, value));
            }
            catch (FormatException e)
            {
                throw new CliException($"Config file '{path}': {e.Message}");
            }
        }
    }

    private static List<(string, string?)> ReadJson(string path, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"Config file '{path}' must hold a JSON object of settings, not a {doc.RootElement.ValueKind}.");
            }

            var list = new List<(string, string?)>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                string? value = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Number => p.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => null,
                    JsonValueKind.Array => string.Join(",", p.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                    _ => throw new CliException($"Config file '{path}': setting '{p.Name}' must be a string, number, boolean or list, not an object."),
                };
                list.Add((p.Name, value));
            }

            return list;
        }
        catch (JsonException e)
        {
            throw new CliException($"Config file '{path}' is not valid JSON: {e.Message}");
        }
    }

    private static List<(string, string?)> ReadYaml(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CliException($"Config file '{path}' is not valid YAML (line {e.Start.Line}): {e.Message}");
        }

        var list = new List<(string, string?)>();
        if (stream.Documents.Count == 0)
        {
            return list;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new CliException($"Config file '{path}' must hold a YAML mapping of settings (key: value lines).");
        }

        foreach (var (k, v) in map.Children)
        {
            string key = ((YamlScalarNode)k).Value ?? "";
            string? value = v switch
            {
                YamlScalarNode s => s.Value is null or "~" or "null" ? null : s.Value,
                YamlSequenceNode seq => string.Join(",", seq.Children.Select(c => ((YamlScalarNode)c).Value)),
                _ => throw new CliException($"Config file '{path}': setting '{key}' must be a scalar or a list."),
            };
            list.Add((key, value));
        }

        return list;
    }

    /// <summary>The config's settings for its verb as a JSON object with kebab-case keys (what a run directory's config.json holds).</summary>
    public static Dictionary<string, object?> ToDictionary(TrainConfig config)
        => ConfigSchema.For(config.Verb).ToDictionary(f => f.Name, f => f.Get(config));
}
