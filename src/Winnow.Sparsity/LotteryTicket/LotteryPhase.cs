namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// One training run of iterative magnitude pruning: the ticket at <paramref name="Level"/> (level 0
/// is the dense network) or, with <paramref name="IsControl"/>, the random-reinitialisation control
/// at that level's masks. Trains global steps [<paramref name="StartStep"/>, <paramref name="TotalSteps"/>).
/// </summary>
/// <param name="Level">0…L.</param>
/// <param name="Levels">L, the last level.</param>
/// <param name="IsControl">The random-reinitialisation control rather than the ticket.</param>
/// <param name="StartStep">First global step trained (the rewind step for levels ≥ 1).</param>
/// <param name="TotalSteps">Steps of the full schedule.</param>
/// <param name="Kept">Kept weights over the masked tensors.</param>
/// <param name="Total">All weights of the masked tensors.</param>
public sealed record LotteryPhase(int Level, int Levels, bool IsControl, long StartStep, long TotalSteps, long Kept, long Total)
{
    /// <summary>Kept fraction over the masked tensors.</summary>
    public double Density => Total == 0 ? 1 : (double)Kept / Total;
}
