using Winnow.NN.Training;

namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>One search round: the per-round report row (ALGORITHMS.md §1.7).</summary>
/// <param name="Round">0-based round.</param>
/// <param name="Temperature">β of the round's last epoch (β_T).</param>
/// <param name="Kept">#(s &gt; 0) at the end of the round (before the clip).</param>
/// <param name="Total">Masked weights.</param>
/// <param name="SoftAccuracy">Evaluation accuracy with the soft mask at β_T (last epoch), or NaN without evaluation data.</param>
/// <param name="HardAccuracy">Evaluation accuracy with the hard mask c·1[s &gt; 0], or NaN.</param>
/// <param name="History">The round's epochs.</param>
/// <param name="Seconds">Wall-clock time.</param>
public sealed record RoundResult(int Round, double Temperature, long Kept, long Total, double SoftAccuracy, double HardAccuracy, IReadOnlyList<EpochMetrics> History, double Seconds)
{
    /// <summary>Hard-mask density #(s &gt; 0)/#s.</summary>
    public double Density => Total == 0 ? 1 : (double)Kept / Total;
}
