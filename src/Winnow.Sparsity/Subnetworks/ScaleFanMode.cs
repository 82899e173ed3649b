namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// What the "scaled" initialisations (scale_fan, ALGORITHMS.md §3.6) do with the keep fraction k.
/// The reference code multiplies the fan by (1 − k) although k is the kept fraction (edge-popup
/// issue #9); the edge-popup paper scales σ by 1/√k. They coincide at k = 0.5.
/// </summary>
public enum ScaleFanMode
{
    /// <summary>No scaling: σ = √2/√fan_in.</summary>
    Off,

    /// <summary>The reference code's quirk (default of the reference presets): fan ← fan·(1 − k), σ = √2/√(fan·(1 − k)).</summary>
    ReferenceCode,

    /// <summary>The paper's scaling: σ = √2/√fan_in / √k.</summary>
    Paper,
}
