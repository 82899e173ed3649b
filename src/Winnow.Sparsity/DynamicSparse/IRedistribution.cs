namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// WHERE the regrown weights go (ALGORITHMS.md §2.5 a): a raw score r_l per layer, normalised to
/// shares r_l / Σ r_k (NaN scores skipped). A <see cref="Layerwise"/> redistribution instead regrows
/// in every layer exactly what that layer lost (SET, RigL).
/// </summary>
public interface IRedistribution
{
    /// <summary>Registry name.</summary>
    string Name { get; }

    /// <summary>True: no redistribution, each layer regrows its own removed count.</summary>
    bool Layerwise => false;

    /// <summary>Raw score r_l of a layer (ignored when <see cref="Layerwise"/>).</summary>
    double Score(LayerView layer);
}
