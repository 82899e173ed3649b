using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>
/// Options of Continuous Sparsification (Savarese, Silva &amp; Maire, NeurIPS 2020,
/// https://arxiv.org/abs/1912.04427; reference code https://github.com/lolemacs/continuous-sparsification).
/// Defaults are the reference code's (ALGORITHMS.md §1.12); every reference quirk of §1.14 is a switch
/// whose default reproduces the reference. The weight optimizer, LR schedule and epochs per round come
/// from the training spec (reference: SGD lr 0.1, momentum 0.9, Nesterov, wd 1e-4, ×0.1 at 56 and 71, 85 epochs).
/// </summary>
public sealed record CsOptions
{
    /// <summary>s0, the initial value of every mask logit (reference 0; higher → denser, e.g. −0.1 for high sparsity).</summary>
    public float InitialValue { get; init; }

    /// <summary>λ of the penalty λ·Σ m over every soft-mask entry (reference 1e-8, not normalised by count).</summary>
    public double Lambda { get; init; } = 1e-8;

    /// <summary>β_T, the temperature of the last epoch of each round (reference 200).</summary>
    public double FinalTemperature { get; init; } = 200;

    /// <summary>Search rounds R (reference 3).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Rewind epoch k: the snapshot is taken before epoch k of round 0 (reference 2).</summary>
    public int RewindEpoch { get; init; } = 2;

    /// <summary>Between-round logit update (quirk §1.14.2): reference code s ← min(s, s0) by default.</summary>
    public ClipMode ClipMode { get; init; } = ClipMode.ReferenceCode;

    /// <summary>Learning rate of the mask-logit optimizer (reference 0.1, SGD momentum 0.9, Nesterov, no weight decay).</summary>
    public double MaskLr { get; init; } = 0.1;

    /// <summary>Momentum of the mask-logit SGD (reference 0.9).</summary>
    public double MaskMomentum { get; init; } = 0.9;

    /// <summary>Nesterov momentum for the mask logits (reference true).</summary>
    public bool MaskNesterov { get; init; } = true;

    /// <summary>
    /// Reuse the weight and mask optimizers (and their momenta) across search rounds (quirk §1.14.8,
    /// reference true). False builds fresh optimizers every round.
    /// </summary>
    public bool ReuseOptimizersAcrossRounds { get; init; } = true;

    /// <summary>Hard ticket mask c·1[s &gt; 0] (quirk §1.14.3, reference true); false gives 0/1.</summary>
    public bool ScaleHardMask { get; init; } = true;

    /// <summary>
    /// Keep adding λ·Σ m while training the hard-masked ticket (reference true: a constant with no
    /// gradient, §1.4). Default false: the loss value then shows the task loss only; training is identical.
    /// </summary>
    public bool PenaltyInTicketTraining { get; init; }

    /// <summary>Ticket search (rewind + retrain) or pruning (keep the trained weights).</summary>
    public CsMode Mode { get; init; } = CsMode.TicketSearch;

    /// <summary>Pruning mode: fine-tuning epochs after the hard mask is applied (0 = none).</summary>
    public int FinetuneEpochs { get; init; }

    /// <summary>
    /// Winnow extension (a deviation from the paper): if set, the ticket keeps exactly the top-k logits
    /// over all masked tensors, k = round(d·N), instead of s &gt; 0. Null = reference thresholding.
    /// </summary>
    public double? TargetDensity { get; init; }

    /// <summary>
    /// Which weights get a mask. Winnow default: every Linear and Conv2d weight (the reference masks only
    /// the 3×3 convolutions of its ResNet; use <see cref="MaskableSelection.Exclude"/> to reproduce that).
    /// </summary>
    public MaskableSelection Selection { get; init; } = MaskableSelection.All;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        Check(float.IsFinite(InitialValue), nameof(InitialValue), InitialValue, "finite");
        Check(Lambda >= 0 && double.IsFinite(Lambda), nameof(Lambda), Lambda, "≥ 0");
        Check(FinalTemperature > 0 && double.IsFinite(FinalTemperature), nameof(FinalTemperature), FinalTemperature, "> 0");
        Check(Rounds >= 1, nameof(Rounds), Rounds, "≥ 1");
        Check(RewindEpoch >= 0, nameof(RewindEpoch), RewindEpoch, "≥ 0");
        Check(MaskLr >= 0, nameof(MaskLr), MaskLr, "≥ 0");
        Check(MaskMomentum >= 0 && MaskMomentum < 1, nameof(MaskMomentum), MaskMomentum, "in [0, 1)");
        Check(FinetuneEpochs >= 0, nameof(FinetuneEpochs), FinetuneEpochs, "≥ 0");
        Check(TargetDensity is null or (> 0 and <= 1), nameof(TargetDensity), TargetDensity ?? 0, "in (0, 1]");
    }

    private static void Check(bool ok, string name, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Continuous Sparsification option {name} = {value} must be {expected}.");
        }
    }
}
