namespace Winnow.Cli.Config;

/// <summary>Settings of `winnow sparse-train`; null = the method's default (<c>DynamicSparseOptions</c> presets).</summary>
public sealed partial class TrainConfig
{
    /// <summary>sm, set, rigl or static.</summary>
    public string Method { get; set; } = "sm";

    public double? PruneRate { get; set; }

    public string? Drop { get; set; }

    public string? Growth { get; set; }

    public string? Redistribution { get; set; }

    public string? DecaySchedule { get; set; }

    public int? UpdateEvery { get; set; }

    public string? SparseInit { get; set; }

    /// <summary>auto, on or off (<c>SparseKernelMode</c>).</summary>
    public string SparseKernels { get; set; } = "auto";

    /// <summary>exact or fast (<c>DenseGradientMode</c>).</summary>
    public string DenseGrad { get; set; } = "exact";
}
