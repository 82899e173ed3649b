namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// "momentum_neuron" growth (sparse_learning's <c>momentum_neuron_growth</c>, ALGORITHMS.md §2.5): the
/// layer's budget g is split over its output neurons (rows of a linear weight (out, in), output channels of
/// a conv weight (out, in, kh, kw)) in proportion to each neuron's mean |momentum| over ALL its positions,
/// f_i = mean_i / Σ_j mean_j. Neuron i asks for n_i = min(⌊f_i·g⌋, its inactive positions); with s = the
/// neuron's scores (|v| at inactive positions, 0 at active ones) sorted ascending, the threshold is the
/// n_i-th largest score and the neuron grows its inactive positions scoring STRICTLY above it. As in the
/// reference, a neuron is skipped when the threshold is 0 or n_i &lt; 10 (the "&lt; 10 new weights" rule), and
/// the strict comparison grows n_i − 1 positions when the scores are distinct (the adjusted-growth
/// feedback of §2.5 g absorbs the shortfall). Without momentum (or with all-zero momentum) nothing grows.
/// </summary>
public sealed class MomentumNeuronGrowth : IGrowthCriterion
{
    /// <summary>Neurons asking for fewer new weights than this are skipped (reference 10).</summary>
    public const int MinimumPerNeuron = 10;

    /// <inheritdoc/>
    public string Name => "momentum_neuron";

    /// <inheritdoc/>
    public int Grow(LayerView layer, int count, Rng rng, DynamicSparseOptions options)
    {
        var momentum = layer.Momentum;
        int rows = layer.Target.Weight.Shape[0];
        if (momentum is null || rows == 0 || count <= 0)
        {
            return 0;
        }

        int width = layer.Count / rows;
        var means = new double[rows];
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int j = 0; j < width; j++)
            {
                s += Math.Abs(momentum[r * width + j]);
            }

            means[r] = s / width;
            sum += means[r];
        }

        if (!(sum > 0))
        {
            return 0;
        }

        var mask = layer.Mask;
        var scores = new float[width];
        int grown = 0;
        for (int r = 0; r < rows; r++)
        {
            int available = 0;
            for (int j = 0; j < width; j++)
            {
                bool inactive = mask[r * width + j] == 0f;
                available += inactive ? 1 : 0;
                scores[j] = inactive ? Math.Abs(momentum[r * width + j]) : 0f;
            }

            int need = Math.Min((int)Math.Floor(means[r] / sum * count), available);
            if (need < MinimumPerNeuron)
            {
                continue;
            }

            var sorted = (float[])scores.Clone();
            Array.Sort(sorted);
            float threshold = sorted[width - need];
            if (threshold == 0f)
            {
                continue;
            }

            for (int j = 0; j < width; j++)
            {
                if (scores[j] > threshold)
                {
                    mask[r * width + j] = 1f;
                    grown++;
                }
            }
        }

        return grown;
    }
}
