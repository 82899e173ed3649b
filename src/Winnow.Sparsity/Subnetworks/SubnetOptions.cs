namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// Settings of an edge-popup or biprop search (ALGORITHMS.md §3, §4.6). Defaults reproduce the
/// reference code (biprop configs "kn_unsigned": scaled Kaiming normal with the (1 − k) fan quirk,
/// layer-wise top-k, α over ⌊k·n⌋, non-affine BN not learned, the "not learning" abort on).
/// </summary>
public sealed record SubnetOptions
{
    public SubnetMethod Method { get; init; } = SubnetMethod.Biprop;

    /// <summary>Keep fraction k (the reference's --prune-rate), in (0, 1].</summary>
    public double KeepFraction { get; init; } = 0.5;

    public SubnetWeightInit Init { get; init; } = SubnetWeightInit.KaimingNormal;

    /// <summary>Scaled init (scale_fan): off, the reference code's fan·(1 − k) (default), or the paper's σ/√k.</summary>
    public ScaleFanMode ScaleFan { get; init; } = ScaleFanMode.ReferenceCode;

    public AlphaDenominator AlphaDenominator { get; init; } = AlphaDenominator.ReferenceFloor;

    /// <summary>One threshold over all layers (GlobalSubnetConv) instead of top-k per layer.</summary>
    public bool Global { get; init; }

    /// <summary>E_p of the global variant's cubic keep-fraction ramp (--prune_rate_epoch, default 10); 0 disables it.</summary>
    public int RampEpochs { get; init; } = 10;

    /// <summary>Train affine BN γ/β with the scores (--learn_batchnorm); otherwise they stay frozen.</summary>
    public bool LearnBatchNorm { get; init; }

    /// <summary>
    /// Freeze the scores (so the mask stays the one they give) and train only the BN parameters:
    /// γ/β, or β alone with <see cref="BatchNormBiasOnly"/> (--tune_batchnorm, for tuning BN after a
    /// subnetwork was found). The reference honours it only next to --learn_batchnorm or
    /// --bn_bias_only; alone it implies <see cref="LearnBatchNorm"/> here rather than doing nothing.
    /// </summary>
    public bool TuneBatchNorm { get; init; }

    /// <summary>Train only the BN biases β with the scores; γ stays frozen (--bn_bias_only). Excludes <see cref="LearnBatchNorm"/>.</summary>
    public bool BatchNormBiasOnly { get; init; }

    /// <summary>Whether any BN parameter is trained (<see cref="LearnBatchNorm"/>, <see cref="TuneBatchNorm"/> or <see cref="BatchNormBiasOnly"/>), so the model needs affine BN.</summary>
    public bool TrainsBatchNorm => LearnBatchNorm || TuneBatchNorm || BatchNormBiasOnly;

    /// <summary>The first masked layer stays a dense frozen random layer (--first-layer-dense).</summary>
    public bool FirstLayerDense { get; init; }

    /// <summary>The classifier stays a dense frozen random layer (--last-layer-dense).</summary>
    public bool LastLayerDense { get; init; }

    /// <summary>Abort ("network is not learning") when the best test top-1 is below 2% after an epoch with index ≥ 2, as the reference.</summary>
    public bool AbortIfNotLearning { get; init; } = true;

    /// <summary>Seed of the frozen weights and the scores.</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks the options, naming the bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="LearnBatchNorm"/> and <see cref="BatchNormBiasOnly"/> are both set.</exception>
    public void Validate()
    {
        if (!(KeepFraction > 0 && KeepFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(KeepFraction), KeepFraction, "keep fraction must be in (0, 1], e.g. 0.5 keeps half the weights.");
        }

        if (ScaleFan == ScaleFanMode.ReferenceCode && KeepFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepFraction), KeepFraction, "the reference's scaled init multiplies the fan by (1 − k) and needs k < 1; use scale-fan off or paper to keep every weight.");
        }

        if (LearnBatchNorm && BatchNormBiasOnly)
        {
            throw new ArgumentException("LearnBatchNorm trains BN γ and β but BatchNormBiasOnly trains β only: set one of them (add TuneBatchNorm to either to freeze the scores).", nameof(BatchNormBiasOnly));
        }

        if (RampEpochs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RampEpochs), RampEpochs, "ramp epochs must be ≥ 0 (0 disables the keep-fraction ramp).");
        }
    }
}
