namespace Winnow.Cli.Config;

/// <summary>
/// Everything a `winnow train` (and `prune`, `lottery`) run depends on. Precedence: these defaults
/// &lt; the --config file &lt; command-line flags. The resolved config is written to the run
/// directory, so any reported number can be reproduced with `winnow VERB --config RUN/config.json`.
/// The sparsity settings live in TrainConfig.Sparsity.cs; <see cref="Verb"/> says which apply.
/// </summary>
public sealed partial class TrainConfig
{
    /// <summary>The verb this config is for: only its settings are read from files and written out.</summary>
    public ConfigVerbs Verb { get; set; } = ConfigVerbs.Train;

    public string Model { get; set; } = "lenet5";

    public string Dataset { get; set; } = "fashion-mnist";

    /// <summary>Directory holding the dataset files (otherwise WINNOW_DATA, Debian's package, the bundled sample).</summary>
    public string? Data { get; set; }

    public int Epochs { get; set; } = 5;

    public int BatchSize { get; set; } = 100;

    public int EvalBatchSize { get; set; } = 1000;

    /// <summary>sgd or adam.</summary>
    public string Optimizer { get; set; } = "sgd";

    public double Lr { get; set; } = 0.05;

    public double Momentum { get; set; } = 0.9;

    public bool Nesterov { get; set; }

    public double WeightDecay { get; set; }

    /// <summary>none, step, multistep or cosine (stepped per epoch).</summary>
    public string Schedule { get; set; } = "none";

    public int StepSize { get; set; } = 30;

    public double Gamma { get; set; } = 0.1;

    /// <summary>Comma-separated epochs for multistep, e.g. "30,60,80".</summary>
    public string Milestones { get; set; } = "";

    public int WarmupEpochs { get; set; }

    public double LabelSmoothing { get; set; }

    /// <summary>Random crop (padding 4 for 32×32, 2 for 28×28) and horizontal flip.</summary>
    public bool Augment { get; set; }

    /// <summary>Hold out this many training images (≥ 1) or this fraction (&lt; 1) for validation; evaluation then uses them instead of the test set.</summary>
    public double ValSplit { get; set; }

    public ulong Seed { get; set; }

    /// <summary>Worker threads for kernels (0 = all cores).</summary>
    public int Threads { get; set; }

    /// <summary>Run directory (default runs/&lt;model&gt;-&lt;dataset&gt;-&lt;time&gt;).</summary>
    public string? Out { get; set; }
}
