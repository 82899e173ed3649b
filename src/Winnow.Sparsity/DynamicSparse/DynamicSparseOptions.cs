namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Settings of one dynamic-sparsity run: drop criterion × growth × redistribution ×
/// schedule × when. The defaults are Sparse Momentum's (Dettmers &amp; Zettlemoyer 2019,
/// <a href="https://arxiv.org/abs/1907.04840">arXiv:1907.04840</a>, sparse_learning's defaults,
/// ALGORITHMS.md §2.8); <see cref="Set"/> and <see cref="RigL"/> give the other two methods.
/// Reference quirks (ALGORITHMS.md §2.13) are switches whose default reproduces the reference.
/// </summary>
public sealed record DynamicSparseOptions
{
    /// <summary>Target kept fraction over the masked tensors (sparse_learning default 0.05).</summary>
    public double Density { get; init; } = 0.05;

    /// <summary>Drop criterion name: magnitude (layer-wise, all methods) or global_magnitude (one threshold over all layers).</summary>
    public string Drop { get; init; } = "magnitude";

    /// <summary>Growth criterion name: momentum (SM), gradient (RigL), random (SET), momentum_neuron or global_momentum_growth (SM variants).</summary>
    public string Growth { get; init; } = "momentum";

    /// <summary>Redistribution name: momentum (SM), magnitude, nonzero, none (∝ size) or layerwise (SET, RigL).</summary>
    public string Redistribution { get; init; } = "momentum";

    /// <summary>Prune-rate schedule name: cosine (SM, RigL), linear or constant (SET).</summary>
    public string Schedule { get; init; } = "cosine";

    /// <summary>Initial prune rate p0 (SM 0.5; RigL drop fraction α = 0.3; SET ζ = 0.3).</summary>
    public double PruneRate { get; init; } = 0.5;

    /// <summary>Floor of the cosine schedule (SM 0.005, RigL 0).</summary>
    public double MinPruneRate { get; init; } = 0.005;

    /// <summary>Mask updates happen while completed steps ≤ this fraction of training (RigL 0.75), and the cosine decays over it.</summary>
    public double StopFraction { get; init; } = 1.0;

    /// <summary>Update every k optimiser steps (RigL ΔT = 100); 0 = at the end of every epoch but the last (SM, SET).</summary>
    public int UpdateEvery { get; init; }

    /// <summary>Initial per-layer distribution: uniform (SM), er (SET), erk (RigL) or er-search (SM's "linear" mode, <see cref="ErEpsilonSearch"/>).</summary>
    public string Init { get; init; } = "uniform";

    /// <summary>Initial masks keep each entry with the layer's probability (SM's Bernoulli "constant" mode); false = exactly the layer's count (RigL).</summary>
    public bool BernoulliInit { get; init; } = true;

    /// <summary>Removed count per layer ⌈p·nnz⌉ (SM); false = ⌊p·nnz⌋ (RigL's n_drop).</summary>
    public bool CeilRemoveCount { get; init; } = true;

    /// <summary>SM §2.5 b: layers over 80% dense with above-average share prune at most their sparsity.</summary>
    public bool ProtectDenseLayers { get; init; } = true;

    /// <summary>SM §2.5 g: feed the exponentially smoothed count error back into the next growth budget.</summary>
    public bool AdjustGrowth { get; init; } = true;

    /// <summary>SM quirk (issue #22): growth scores over ALL positions, active ones scoring 0, so growth can fall short.</summary>
    public bool GrowthScoresAllPositions { get; init; } = true;

    /// <summary>SM quirk: random growth is a Bernoulli draw with p = count/#inactive (count fluctuates).</summary>
    public bool BernoulliRandomGrowth { get; init; } = true;

    /// <summary>RigL: zero the optimiser state (momentum) of newly activated weights. SM keeps it (v1.0 removed the reset).</summary>
    public bool ResetNewMomentum { get; init; }

    /// <summary>Seed of the mask initialisation and random growth.</summary>
    public ulong Seed { get; init; } = 17;

    /// <summary>Sparse Momentum, the reference defaults.</summary>
    public static DynamicSparseOptions SparseMomentum(double density = 0.05) => new() { Density = density };

    /// <summary>
    /// SET (Mocanu et al. 2018, <a href="https://arxiv.org/abs/1707.04780">arXiv:1707.04780</a>, ALGORITHMS.md §4.4):
    /// Erdős–Rényi init, after every epoch drop ζ = 0.3 of each layer's weights closest to zero and regrow as many
    /// at random positions (new weights 0), no redistribution.
    /// </summary>
    public static DynamicSparseOptions Set(double density = 0.05) => new()
    {
        Density = density,
        Growth = "random",
        Redistribution = "layerwise",
        Schedule = "constant",
        PruneRate = 0.3,
        Init = "er",
        BernoulliInit = false,
        ProtectDenseLayers = false,
        AdjustGrowth = false,
        BernoulliRandomGrowth = false,
        GrowthScoresAllPositions = false,
    };

    /// <summary>
    /// RigL (Evci et al. 2020, <a href="https://arxiv.org/abs/1911.11134">arXiv:1911.11134</a>, ALGORITHMS.md §4.5):
    /// ERK init with exact counts, every ΔT = 100 steps until 75% of training drop ⌊f·n_active⌋ by magnitude with
    /// f cosine from α = 0.3 to 0, grow as many by dense-gradient magnitude, zero the new weights' momentum.
    /// </summary>
    public static DynamicSparseOptions RigL(double density = 0.05) => new()
    {
        Density = density,
        Growth = "gradient",
        Redistribution = "layerwise",
        Schedule = "cosine",
        PruneRate = 0.3,
        MinPruneRate = 0,
        StopFraction = 0.75,
        UpdateEvery = 100,
        Init = "erk",
        BernoulliInit = false,
        CeilRemoveCount = false,
        ProtectDenseLayers = false,
        AdjustGrowth = false,
        GrowthScoresAllPositions = false,
        ResetNewMomentum = true,
    };

    /// <summary>The preset called sm (or sparse-momentum), set or rigl.</summary>
    /// <exception cref="ArgumentException">Unknown method name.</exception>
    public static DynamicSparseOptions ForMethod(string method, double density) => method.ToLowerInvariant() switch
    {
        "sm" or "sparse-momentum" => SparseMomentum(density),
        "set" => Set(density),
        "rigl" => RigL(density),
        _ => throw new ArgumentException($"Unknown dynamic-sparsity method '{method}'. Known: sm, set, rigl.", nameof(method)),
    };
}
