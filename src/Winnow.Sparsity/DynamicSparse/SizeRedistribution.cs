namespace Winnow.Sparsity.DynamicSparse;

/// <summary>"none" (sparse_learning's name): r_l = n_l / baseline_nonzero, i.e. shares proportional to layer size.</summary>
public sealed class SizeRedistribution : IRedistribution
{
    /// <inheritdoc/>
    public string Name => "none";

    /// <inheritdoc/>
    public double Score(LayerView layer) => layer.Count / layer.BaselineNonzero;
}
