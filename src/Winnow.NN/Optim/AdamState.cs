namespace Winnow.NN.Optim;

/// <summary>Adam's per-parameter state: first and second moments (parameter-shaped) and the step count t.</summary>
internal sealed class AdamState(int[] shape)
{
    /// <summary>m, the exponential average of gradients (raw, not bias-corrected).</summary>
    public Tensor ExpAvg { get; } = new(shape);

    /// <summary>v, the exponential average of squared gradients (raw, not bias-corrected).</summary>
    public Tensor ExpAvgSq { get; } = new(shape);

    /// <summary>Number of updates applied to this parameter.</summary>
    public int Step { get; set; }
}
