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

    /// <summary>`winnow sparse-train` (its commands also accept the <see cref="Train"/> settings).</summary>
    SparseTrain = 64,

    /// <summary>`winnow cs` (its command also accepts the <see cref="Train"/> settings).</summary>
    Cs = 128,

    /// <summary>`winnow subnet` (its command also accepts the <see cref="Train"/> settings).</summary>
    Subnet = 256,

    /// <summary>Every training verb.</summary>
    All = Train | Prune | Lottery,
}
