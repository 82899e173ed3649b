namespace Winnow.Cli.Config;

/// <summary>When `winnow prune` prunes.</summary>
public enum PruneWhen
{
    /// <summary>One-shot on a trained checkpoint (--from), then optional fine-tuning.</summary>
    Trained,

    /// <summary>At initialisation (SNIP, magnitude, random), then train with the masks fixed.</summary>
    Init,

    /// <summary>Gradual magnitude pruning during training (Zhu &amp; Gupta 2017).</summary>
    Gradual,
}
