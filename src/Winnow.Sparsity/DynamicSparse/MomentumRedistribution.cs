namespace Winnow.Sparsity.DynamicSparse;

/// <summary>"momentum" (Sparse Momentum's default): r_l = mean over ACTIVE positions of |momentum| (NaN without momentum).</summary>
public sealed class MomentumRedistribution : IRedistribution
{
    /// <inheritdoc/>
    public string Name => "momentum";

    /// <inheritdoc/>
    public double Score(LayerView layer) => layer.Momentum is { } m ? MeanAbsActive(layer, m) : double.NaN;

    internal static double MeanAbsActive(LayerView layer, float[] values)
    {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (layer.Mask[i] != 0f)
            {
                sum += Math.Abs(values[i]);
                n++;
            }
        }

        return n == 0 ? double.NaN : sum / n;
    }
}
