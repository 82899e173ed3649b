using System.CommandLine;

namespace Winnow.Cli.Config;

/// <summary>
/// Command-line options generated from <see cref="ConfigSchema"/>, and their application on top of
/// defaults and the config file (flags win).
/// </summary>
public sealed class ConfigOptions
{
    private readonly List<(ConfigField Field, Option Option)> _options = [];
    private readonly Func<TrainConfig> _defaults;

    /// <summary>Creates one option per `winnow train` field (except <paramref name="exclude"/>) and adds them to <paramref name="command"/>.</summary>
    public ConfigOptions(Command command, params string[] exclude)
        : this(command, ConfigVerbs.Train, exclude)
    {
    }

    /// <summary>Creates one option per field of <paramref name="verb"/> (except <paramref name="exclude"/>) and adds them to <paramref name="command"/>.</summary>
    public ConfigOptions(Command command, ConfigVerbs verb, params string[] exclude)
        : this(command, verb, () => new TrainConfig(), exclude)
    {
    }

    /// <summary>As above, with verb-specific built-in <paramref name="defaults"/> (shown in the help and used by <see cref="Resolve"/>).</summary>
    public ConfigOptions(Command command, ConfigVerbs verb, Func<TrainConfig> defaults, params string[] exclude)
    {
        _defaults = defaults;
        foreach (var field in ConfigSchema.For(verb).Where(f => !exclude.Contains(f.Name)))
        {
            Option option = field.Type == typeof(bool)
                ? new Option<bool>("--" + field.Name) { Description = field.Description, Arity = ArgumentArity.ZeroOrOne }
                : new Option<string>("--" + field.Name) { Description = $"{field.Description} [default: {Default(field)}]", HelpName = HelpName(field) };
            command.Options.Add(option);
            _options.Add((field, option));
        }

        Config = new Option<string>("--config") { Description = "JSON or YAML file of settings (same names as the flags); flags override it.", HelpName = "file" };
        command.Options.Add(Config);
    }

    /// <summary>The --config option.</summary>
    public Option<string> Config { get; }

    /// <summary>Writes every flag the user actually gave into <paramref name="config"/>.</summary>
    /// <exception cref="CliException">A flag's value has the wrong type.</exception>
    public void ApplyFlags(ParseResult result, TrainConfig config)
    {
        foreach (var (field, option) in _options)
        {
            if (result.GetResult(option) is not { Implicit: false })
            {
                continue;
            }

            if (option is Option<bool> boolOption)
            {
                field.Set(config, result.GetValue(boolOption));
                continue;
            }

            string? text = result.GetValue((Option<string>)option);
            try
            {
                field.Set(config, text is null ? null : ConfigSchema.ParseValue(field, text));
            }
            catch (FormatException e)
            {
                throw new CliException($"Option --{e.Message}");
            }
        }
    }

    /// <summary>
    /// The config of a <paramref name="verb"/> run: built-in defaults &lt; the --config file &lt; flags,
    /// with <see cref="TrainConfig.Out"/> defaulting to runs/&lt;model&gt;-&lt;dataset&gt;-&lt;verb&gt;-&lt;time&gt;.
    /// </summary>
    /// <exception cref="CliException">The config file or a flag is invalid.</exception>
    public TrainConfig Resolve(ParseResult result, ConfigVerbs verb)
    {
        var config = _defaults();
        config.Verb = verb;
        if (result.GetValue(Config) is { } file)
        {
            ConfigFile.Apply(file, config);
        }

        ApplyFlags(result, config);
        return config;
    }

    /// <summary>The default run directory of a <paramref name="verb"/> run of <paramref name="config"/>.</summary>
    public static string DefaultOut(TrainConfig config, string verb)
        => Path.Combine("runs", $"{config.Model}-{config.Dataset}-{verb}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>Names of the fields given as flags (normalised), so a resumed run can refuse changed settings.</summary>
    public HashSet<string> GivenFlags(ParseResult result)
        => _options.Where(o => result.GetResult(o.Option) is { Implicit: false }).Select(o => ConfigSchema.Normalise(o.Field.Name)).ToHashSet();

    private string Default(ConfigField f) => f.Get(_defaults()) switch
    {
        null => f.NullMeans,
        "" => "none",
        IFormattable x => x.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var o => o.ToString() ?? "",
    };

    private static string HelpName(ConfigField f) => f.Type == typeof(int) || f.Type == typeof(ulong) ? "int" : f.Type == typeof(double) ? "number" : "value";
}
