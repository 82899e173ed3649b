namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// One row of the lottery table: the level's sparsity (over the masked tensors and over all conv and
/// linear weights, ALGORITHMS.md §5.5), its trained ticket and, if asked for, the random-reinitialisation control.
/// </summary>
/// <param name="Level">0 (dense) … L.</param>
/// <param name="Kept">Kept weights over the masked tensors.</param>
/// <param name="Total">Weights of the masked tensors.</param>
/// <param name="KeptAllWeights">Kept conv and linear weights, unmasked tensors counted as dense.</param>
/// <param name="TotalAllWeights">All conv and linear weights.</param>
/// <param name="Ticket">The trained ticket.</param>
/// <param name="Control">The control at the same masks, or null.</param>
public sealed record LevelResult(int Level, long Kept, long Total, long KeptAllWeights, long TotalAllWeights, PhaseResult Ticket, PhaseResult? Control)
{
    /// <summary>Kept fraction over the masked tensors.</summary>
    public double Density => Total == 0 ? 1 : (double)Kept / Total;

    /// <summary>Kept fraction over all conv and linear weights.</summary>
    public double DensityAllWeights => TotalAllWeights == 0 ? 1 : (double)KeptAllWeights / TotalAllWeights;
}
