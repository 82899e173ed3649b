namespace Winnow.Cli.Config;

/// <summary>One configurable setting: its kebab-case name, type, help text and accessors.</summary>
public sealed record ConfigField(string Name, Type Type, string Description, Func<TrainConfig, object?> Get, Action<TrainConfig, object?> Set);
