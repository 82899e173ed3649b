using Winnow.NN.Training;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>The outcome of one training run (a level's ticket or its control): per-epoch metrics and wall time.</summary>
public sealed record PhaseResult(LotteryPhase Phase, IReadOnlyList<EpochMetrics> History, double Seconds)
{
    /// <summary>Best per-epoch test (evaluation-set) accuracy, NaN without evaluation.</summary>
    public double BestAccuracy => History.Select(h => h.TestAccuracy ?? double.NaN).DefaultIfEmpty(double.NaN).Max();

    /// <summary>Test accuracy after the last epoch, NaN without evaluation.</summary>
    public double LastAccuracy => History.Count > 0 ? History[^1].TestAccuracy ?? double.NaN : double.NaN;

    /// <summary>Epochs trained (a partial first epoch after a mid-epoch rewind counts as one).</summary>
    public int Epochs => History.Count;

    /// <summary>Optimizer steps trained.</summary>
    public long Steps => Phase.TotalSteps - Phase.StartStep;
}
