namespace Winnow.Cli.Config;

public static partial class ConfigSchema
{
    private const ConfigVerbs CsVerb = ConfigVerbs.Cs;

    /// <summary>Settings of `winnow cs` (Savarese et al. 2020; docs/methods/continuous-sparsification.md gives the reference defaults).</summary>
    private static ConfigField[] CsFields() =>
    [
        F("mask-init", "s0, the initial mask logit (higher → denser); comma-separated values run a sweep, e.g. -0.1,-0.05,0.", c => c.MaskInit, (c, v) => c.MaskInit = (string)v!, CsVerb),
        F("lambda", "λ of the penalty λ·Σm (reference 1e-8); comma-separated values run a sweep.", c => c.Lambda, (c, v) => c.Lambda = (string)v!, CsVerb),
        F("final-temp", "β_T, the temperature of the last epoch of every round.", c => c.FinalTemp, (c, v) => c.FinalTemp = v, CsVerb),
        F("rounds", "Search rounds.", c => c.Rounds, (c, v) => c.Rounds = v, CsVerb),
        F("rewind-epoch", "Rewind snapshot before this epoch of round 0 (ticket mode).", c => c.RewindEpoch, (c, v) => c.RewindEpoch = v, CsVerb),
        F("clip-mode", "Between-round logit update: reference (code: s ← min(s, s0)) or paper (s ← min(β_T·s, s0)).", c => c.ClipMode, (c, v) => c.ClipMode = (string)v!, CsVerb),
        F("mask-lr", "Learning rate of the mask-logit SGD (Nesterov, no weight decay; the weights' LR schedule).", c => c.MaskLr, (c, v) => c.MaskLr = v, CsVerb),
        F("mask-momentum", "Momentum of the mask-logit SGD.", c => c.MaskMomentum, (c, v) => c.MaskMomentum = v, CsVerb),
        F("scale-hard-mask", "Scale the ticket mask by c = 1/σ(s0) (reference); false gives a 0/1 mask.", c => c.ScaleHardMask, (c, v) => c.ScaleHardMask = v, CsVerb),
        F("cs-mode", "ticket (rewind to the snapshot and retrain) or prune (keep the trained weights).", c => c.CsMode, (c, v) => c.CsMode = (string)v!, CsVerb),
        F("cs-finetune-epochs", "Prune mode: fine-tuning epochs with the hard mask (0 = none).", c => c.CsFinetuneEpochs, (c, v) => c.CsFinetuneEpochs = v, CsVerb),
        F<double?>("target-density", "Keep exactly the top-k logits at extraction, k = d·N (a Winnow extension; default: s > 0 as the paper).", c => c.TargetDensity, (c, v) => c.TargetDensity = v, CsVerb) with { NullMeans = "none" },
        F("mask-layers", "Which weights get a mask: all (every conv and linear) or conv (the reference's choice).", c => c.MaskLayers, (c, v) => c.MaskLayers = (string)v!, CsVerb),
    ];
}
