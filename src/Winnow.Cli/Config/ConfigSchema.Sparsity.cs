namespace Winnow.Cli.Config;

public static partial class ConfigSchema
{
    private const ConfigVerbs Prune = ConfigVerbs.Prune, Lottery = ConfigVerbs.Lottery, Sparse = ConfigVerbs.Prune | ConfigVerbs.Lottery;

    /// <summary>Settings of `winnow prune` and `winnow lottery` (docs/methods/*.md give the papers' defaults).</summary>
    private static ConfigField[] SparsityFields() =>
    [
        F<string?>("when", "When to prune: trained (one-shot on --from), init (at initialisation, then train) or gradual (Zhu & Gupta during training); default trained with --from, else init.", c => c.When, (c, v) => c.When = v, Prune),
        F<string?>("from", "Trained run directory or checkpoint to prune (--when trained).", c => c.From, (c, v) => c.From = v, Prune) with { NullMeans = "none" },
        F<string?>("masks", "Take the masks from this checkpoint (e.g. a lottery level) instead of pruning: retrain or fine-tune another method's mask.", c => c.Masks, (c, v) => c.Masks = v, Prune) with { NullMeans = "none" },
        F("density", "Fraction of the masked weights kept, in (0, 1] (--sparsity S sets 1 − S).", c => c.Density, (c, v) => c.Density = v, Prune | ConfigVerbs.SparseTrain),
        F("criterion", "What to keep: magnitude, random or snip.", c => c.Criterion, (c, v) => c.Criterion = (string)v!, Prune),
        F("distribution", "Where the kept weights go: uniform, er, erk or global.", c => c.Distribution, (c, v) => c.Distribution = (string)v!, Prune),
        F("finetune-epochs", "Epochs of fine-tuning after one-shot pruning (--when trained; 0 = none).", c => c.FinetuneEpochs, (c, v) => c.FinetuneEpochs = v, Prune),
        F("prune-begin", "Gradual pruning: first pruning step as Nit, Nep or N% of training.", c => c.PruneBegin, (c, v) => c.PruneBegin = (string)v!, Prune),
        F("prune-end", "Gradual pruning: step at which the final sparsity is reached (Nit, Nep or N%).", c => c.PruneEnd, (c, v) => c.PruneEnd = (string)v!, Prune),
        F("prune-frequency", "Gradual pruning: steps between mask updates.", c => c.PruneFrequency, (c, v) => c.PruneFrequency = v, Prune),
        F("dense-last", "Leave the last conv/linear layer (the classifier) unmasked.", c => c.DenseLast, (c, v) => c.DenseLast = v, Prune | ConfigVerbs.SparseTrain),
        F("dense-first", "Leave the first conv/linear layer unmasked.", c => c.DenseFirst, (c, v) => c.DenseFirst = v, Sparse | ConfigVerbs.SparseTrain),
        F("exclude", "Comma-separated weight names never masked, e.g. fc3.weight.", c => c.Exclude, (c, v) => c.Exclude = (string)v!, Sparse),
        F("levels", "Pruning levels after the dense level 0.", c => c.Levels, (c, v) => c.Levels = v, Lottery),
        F("prune-fraction", "Fraction of the remaining weights pruned per level, in [0, 1).", c => c.PruneFraction, (c, v) => c.PruneFraction = v, Lottery),
        F("rewind", "Rewind point: 0 (initialisation, original LTH), Nit or Nep (late rewinding).", c => c.Rewind, (c, v) => c.Rewind = (string)v!, Lottery),
        F("mode", "Retraining: rewind (weights and LR), lr-rewind (Renda et al.: LR only) or finetune (final LR).", c => c.Mode, (c, v) => c.Mode = (string)v!, Lottery),
        F("random-reinit", "Also train the random-reinitialisation control at every level's masks.", c => c.RandomReinit, (c, v) => c.RandomReinit = v, Lottery),
        F("ignore-last-layer", "Keep the output layer out of the pruning pool: auto (open_lth: yes for LeNet/VGG/Conv-N, no for ResNet/WRN), true or false.", c => c.IgnoreLastLayer, (c, v) => c.IgnoreLastLayer = (string)v!, Lottery),
    ];
}
