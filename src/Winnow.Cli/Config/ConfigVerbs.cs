namespace Winnow.Cli.Config;

/// <summary>Which verbs a setting belongs to: training settings serve every training verb, sparsity settings only theirs.</summary>
[Flags]
public enum ConfigVerbs
{
    /// <summary>`winnow train`.</summary>
    Train = 1,

    /// <summary>`winnow prune`.</summary>
    Prune = 2,

    /// <summary>`winnow lottery`.</summary>
    Lottery = 4,

    /// <summary>Every training verb.</summary>
    All = Train | Prune | Lottery,
}
