namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// "random" (SET): regrow at uniformly random inactive positions. With
/// <see cref="DynamicSparseOptions.BernoulliRandomGrowth"/> (sparse_learning) every inactive position is
/// kept with probability count / #inactive, so the number grown fluctuates; otherwise exactly
/// min(count, #inactive) distinct positions are drawn (SET paper, RigL's SET).
/// </summary>
public sealed class RandomGrowth : IGrowthCriterion
{
    /// <inheritdoc/>
    public string Name => "random";

    /// <inheritdoc/>
    public int Grow(LayerView layer, int count, Rng rng, DynamicSparseOptions options)
    {
        var mask = layer.Mask;
        var inactive = new List<int>();
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0f)
            {
                inactive.Add(i);
            }
        }

        if (count <= 0 || inactive.Count == 0)
        {
            return 0;
        }

        int grown = 0;
        if (options.BernoulliRandomGrowth)
        {
            double p = (double)count / inactive.Count;
            foreach (int i in inactive)
            {
                if (rng.NextDouble() < p)
                {
                    mask[i] = 1f;
                    grown++;
                }
            }

            return grown;
        }

        int take = Math.Min(count, inactive.Count);
        for (int j = 0; j < take; j++)
        {
            int k = j + rng.NextInt(inactive.Count - j);
            (inactive[j], inactive[k]) = (inactive[k], inactive[j]);
            mask[inactive[j]] = 1f;
        }

        return take;
    }
}
