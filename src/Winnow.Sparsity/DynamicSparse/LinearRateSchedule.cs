namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Sparse Momentum's "linear" decay (ALGORITHMS.md §2.6): p(t) = p0 − t·p0/T (no floor; 0 at t = T).
/// </summary>
public sealed class LinearRateSchedule(double initial = 0.5) : IPruneRateSchedule
{
    /// <inheritdoc/>
    public string Name => "linear";

    /// <summary>p0.</summary>
    public double Initial { get; } = initial;

    /// <inheritdoc/>
    public double Rate(long step, long totalSteps) => totalSteps <= 0 ? Initial : Math.Max(0, Initial - step * Initial / totalSteps);
}
