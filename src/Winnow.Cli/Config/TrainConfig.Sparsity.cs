namespace Winnow.Cli.Config;

/// <summary>Settings of `winnow prune` and `winnow lottery` (ignored, and not written, by the other verbs).</summary>
public sealed partial class TrainConfig
{
    /// <summary>trained, init or gradual; null = trained with --from, else init.</summary>
    public string? When { get; set; }

    /// <summary>Run directory or checkpoint pruned with --when trained.</summary>
    public string? From { get; set; }

    /// <summary>Checkpoint whose masks replace the pruning step.</summary>
    public string? Masks { get; set; }

    /// <summary>Kept fraction of the masked weights (sparse_learning and the 5%).</summary>
    public double Density { get; set; } = 0.05;

    public string Criterion { get; set; } = "magnitude";

    public string Distribution { get; set; } = "global";

    public int FinetuneEpochs { get; set; }

    public string PruneBegin { get; set; } = "10%";

    public string PruneEnd { get; set; } = "75%";

    public int PruneFrequency { get; set; } = 100;

    public bool DenseFirst { get; set; }

    public bool DenseLast { get; set; }

    /// <summary>Comma-separated weight names never masked.</summary>
    public string Exclude { get; set; } = "";

    public int Levels { get; set; } = 8;

    public double PruneFraction { get; set; } = 0.2;

    public string Rewind { get; set; } = "0";

    /// <summary>rewind, lr-rewind or finetune.</summary>
    public string Mode { get; set; } = "rewind";

    public bool RandomReinit { get; set; }

    /// <summary>auto, true or false.</summary>
    public string IgnoreLastLayer { get; set; } = "auto";
}
