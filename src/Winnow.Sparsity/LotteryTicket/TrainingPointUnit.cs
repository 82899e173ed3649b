namespace Winnow.Sparsity.LotteryTicket;

/// <summary>The unit of a <see cref="TrainingPoint"/>.</summary>
public enum TrainingPointUnit
{
    /// <summary>Optimizer steps (open_lth's <c>it</c>).</summary>
    Iterations,

    /// <summary>Whole epochs (open_lth's <c>ep</c>).</summary>
    Epochs,

    /// <summary>A percentage of the run's total steps.</summary>
    Percent,
}
