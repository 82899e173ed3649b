namespace Winnow.Cli.Config;

public static partial class ConfigSchema
{
    private const ConfigVerbs Sub = ConfigVerbs.Subnet;

    /// <summary>Settings of `winnow subnet` (docs/methods/edge-popup.md, biprop.md); defaults reproduce the reference code.</summary>
    private static ConfigField[] SubnetFields() =>
    [
        F("method", "Subnetwork method: biprop (Multi-Prize Tickets: kept weights α·sign(W)) or edge-popup (kept weights W).", c => c.SubnetMethod, (c, v) => c.SubnetMethod = (string)v!, Sub),
        F("keep", "Fraction k of each masked layer's weights kept, in (0, 1] (the reference's --prune-rate).", c => c.Keep, (c, v) => c.Keep = v, Sub),
        F("binary-activations", "MPT-1/1: use the model's BinAct variant (sign activations with the Bi-Real surrogate), e.g. fc → fc-binact, conv2 → conv2-binact.", c => c.BinaryActivations, (c, v) => c.BinaryActivations = v, Sub),
        F("width", "Width multiplier of the hidden layers of the models that have one (lenet300, fc, Conv-N, VGG-Small, ResNet-18).", c => c.Width, (c, v) => c.Width = v, Sub | ConfigVerbs.Train),
        F("init", "Frozen random weights: kaiming-normal, signed-constant or unsigned-constant.", c => c.SubnetInit, (c, v) => c.SubnetInit = (string)v!, Sub),
        F("scale-fan", "Scaled init: reference (fan·(1−k), the code's quirk), paper (σ/√k) or off.", c => c.ScaleFan, (c, v) => c.ScaleFan = (string)v!, Sub),
        F("alpha-denominator", "biprop gain α = Σ|W|·M / d with d = floor (⌊k·n⌋, reference) or kept (the kept count).", c => c.AlphaDenominator, (c, v) => c.AlphaDenominator = (string)v!, Sub),
        F("global", "One |score| threshold over all layers (GlobalSubnetConv) instead of top-k per layer.", c => c.GlobalScores, (c, v) => c.GlobalScores = v, Sub),
        F("ramp-epochs", "Global variant: epochs of the cubic keep-fraction ramp from 0.5 (only for keep ≤ 0.5; 0 = off).", c => c.RampEpochs, (c, v) => c.RampEpochs = v, Sub),
        F("learn-batchnorm", "Affine batch norm with γ/β trained alongside the scores (the '+BN' configs).", c => c.LearnBatchNorm, (c, v) => c.LearnBatchNorm = v, Sub),
        F("tune-batchnorm", "Freeze the scores (the subnetwork they select stays) and train only the batch-norm γ/β (β with --bn-bias-only); needs a model with batch norm.", c => c.TuneBatchNorm, (c, v) => c.TuneBatchNorm = v, Sub),
        F("bn-bias-only", "Train only the batch-norm biases β with the scores (γ stays frozen); needs a model with batch norm; not with --learn-batchnorm.", c => c.BnBiasOnly, (c, v) => c.BnBiasOnly = v, Sub),
        F<string?>("scores-from", "Start from the frozen weights, scores and BN of this `winnow subnet` run (or its checkpoint), e.g. with --tune-batchnorm to tune BN of a found subnetwork; tensors whose name or shape differ are skipped, as the reference's --pretrained.", c => c.ScoresFrom, (c, v) => c.ScoresFrom = v, Sub) with { NullMeans = "none" },
        F("no-bn-decay", "SGD: no weight decay for parameters whose name contains 'bn' (the reference's rule).", c => c.NoBnDecay, (c, v) => c.NoBnDecay = v, Sub),
        F("first-layer-dense", "Leave the first conv/linear layer unmasked (still random and frozen).", c => c.FirstLayerDense, (c, v) => c.FirstLayerDense = v, Sub),
        F("last-layer-dense", "Leave the classifier unmasked (still random and frozen).", c => c.LastLayerDense, (c, v) => c.LastLayerDense = v, Sub),
        F("no-abort", "Do not stop when the best test accuracy is below 2% after epoch 3 (the reference's 'network is not learning').", c => c.NoAbort, (c, v) => c.NoAbort = v, Sub),
    ];
}
