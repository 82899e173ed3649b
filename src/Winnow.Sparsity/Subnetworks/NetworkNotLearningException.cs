namespace Winnow.Sparsity.Subnetworks;

/// <summary>The reference's abort: the best test top-1 is still below 2% after an epoch with index ≥ 2 (ALGORITHMS.md §3.9).</summary>
public sealed class NetworkNotLearningException(int epoch, double bestAccuracy)
    : Exception($"The network is not learning: the best test accuracy after epoch {epoch + 1} is {bestAccuracy:P2} (< 2%). Try a smaller learning rate or another keep fraction; turn the check off with AbortIfNotLearning = false (--no-abort).")
{
    public int Epoch { get; } = epoch;

    public double BestAccuracy { get; } = bestAccuracy;
}
