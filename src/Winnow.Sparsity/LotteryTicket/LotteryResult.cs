namespace Winnow.Sparsity.LotteryTicket;

/// <summary>The density-vs-accuracy table of an iterative magnitude pruning run, level 0 (dense) first.</summary>
public sealed record LotteryResult(IReadOnlyList<LevelResult> Levels, LotteryOptions Options)
{
    /// <summary>The dense network (level 0).</summary>
    public LevelResult Dense => Levels[0];

    /// <summary>The last (sparsest) level.</summary>
    public LevelResult Final => Levels[^1];
}
