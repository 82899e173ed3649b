namespace Winnow.Sparsity.DynamicSparse;

/// <summary>"nonzero": r_l = number of weights w ≠ 0.</summary>
public sealed class NonzeroRedistribution : IRedistribution
{
    /// <inheritdoc/>
    public string Name => "nonzero";

    /// <inheritdoc/>
    public double Score(LayerView layer)
    {
        int n = 0;
        foreach (float w in layer.Target.Weight.Data)
        {
            n += w != 0f ? 1 : 0;
        }

        return n;
    }
}
