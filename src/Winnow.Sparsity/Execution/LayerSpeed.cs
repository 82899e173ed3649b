namespace Winnow.Sparsity.Execution;

/// <summary>
/// Measured times of one masked layer at one batch size, best of the repeats, in milliseconds:
/// forward, and backward (input gradient + weight gradient) — dense kernels, sparse kernels with the
/// weight gradient at kept positions (fast), and sparse with the dense weight gradient (exact);
/// with the policy's choice for the layer.
/// </summary>
public sealed record LayerSpeed(
    string Name, string Op, string Shape, double Density,
    double DenseForwardMs, double DenseBackwardMs,
    double SparseForwardMs, double SparseBackwardMs, double SparseExactBackwardMs,
    bool PolicySparse)
{
    /// <summary>Dense / sparse forward time.</summary>
    public double ForwardSpeedup => DenseForwardMs / SparseForwardMs;

    /// <summary>Dense / sparse (fast) forward + backward time.</summary>
    public double TrainSpeedup => (DenseForwardMs + DenseBackwardMs) / (SparseForwardMs + SparseBackwardMs);
}
