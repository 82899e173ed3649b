namespace Winnow.Cli.Config;

/// <summary>Settings of `winnow cs` (Continuous Sparsification); defaults are the reference code's (docs/methods/continuous-sparsification.md).</summary>
public sealed partial class TrainConfig
{
    /// <summary>Comma-separated s0 values; more than one runs a sweep.</summary>
    public string MaskInit { get; set; } = "0";

    /// <summary>Comma-separated λ values; more than one runs a sweep.</summary>
    public string Lambda { get; set; } = "1e-8";

    public double FinalTemp { get; set; } = 200;

    public int Rounds { get; set; } = 3;

    public int RewindEpoch { get; set; } = 2;

    /// <summary>reference (s ← min(s, s0)) or paper (s ← min(β_T·s, s0)).</summary>
    public string ClipMode { get; set; } = "reference";

    public double MaskLr { get; set; } = 0.1;

    public double MaskMomentum { get; set; } = 0.9;

    public bool ScaleHardMask { get; set; } = true;

    /// <summary>ticket (rewind + retrain) or prune (keep the trained weights).</summary>
    public string CsMode { get; set; } = "ticket";

    public int CsFinetuneEpochs { get; set; }

    /// <summary>Exact ticket density by top-k logits (null = reference s &gt; 0).</summary>
    public double? TargetDensity { get; set; }

    /// <summary>all (every conv and linear weight) or conv (the reference: convolutions only).</summary>
    public string MaskLayers { get; set; } = "all";
}
