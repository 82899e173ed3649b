namespace Winnow.Cli.Config;

/// <summary>Settings of `winnow subnet` (see ConfigSchema.Subnet.cs for their meaning).</summary>
public sealed partial class TrainConfig
{
    /// <summary>biprop or edge-popup (the `method` setting of `winnow subnet`).</summary>
    public string SubnetMethod { get; set; } = "biprop";

    public double Keep { get; set; } = 0.5;

    public bool BinaryActivations { get; set; }

    public double Width { get; set; } = 1.0;

    /// <summary>kaiming-normal, signed-constant or unsigned-constant.</summary>
    public string SubnetInit { get; set; } = "kaiming-normal";

    /// <summary>reference, paper or off.</summary>
    public string ScaleFan { get; set; } = "reference";

    /// <summary>floor or kept.</summary>
    public string AlphaDenominator { get; set; } = "floor";

    public bool GlobalScores { get; set; }

    public int RampEpochs { get; set; } = 10;

    public bool LearnBatchNorm { get; set; }

    public bool TuneBatchNorm { get; set; }

    public bool BnBiasOnly { get; set; }

    /// <summary>A `winnow subnet` run or checkpoint to start from (--scores-from), or null.</summary>
    public string? ScoresFrom { get; set; }

    public bool NoBnDecay { get; set; }

    public bool FirstLayerDense { get; set; }

    public bool LastLayerDense { get; set; }

    public bool NoAbort { get; set; }
}
