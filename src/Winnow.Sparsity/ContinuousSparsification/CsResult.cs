using Winnow.NN.Training;

namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>The outcome of a Continuous Sparsification run.</summary>
/// <param name="Rounds">Per-round reports.</param>
/// <param name="Kept">Weights kept by the final (ticket) mask.</param>
/// <param name="Total">Masked weights.</param>
/// <param name="Ticket">The ticket's retraining (or fine-tuning) epochs; empty in pruning mode without fine-tuning.</param>
/// <param name="FinalAccuracy">Evaluation accuracy of the final hard-masked network, or NaN.</param>
/// <param name="TotalEpochs">Training epochs spent (search + retraining), the method's cost (§1.15).</param>
/// <param name="Options">The options used.</param>
public sealed record CsResult(IReadOnlyList<RoundResult> Rounds, long Kept, long Total, IReadOnlyList<EpochMetrics> Ticket, double FinalAccuracy, int TotalEpochs, CsOptions Options)
{
    /// <summary>Ticket density over the masked tensors.</summary>
    public double Density => Total == 0 ? 1 : (double)Kept / Total;
}
