namespace Winnow.Cli.Config;

public static partial class ConfigSchema
{
    private const ConfigVerbs Dst = ConfigVerbs.SparseTrain;

    /// <summary>Settings of `winnow sparse-train` (docs/methods/sparse-momentum.md, set.md, rigl.md); "auto" = the method's paper default.</summary>
    private static ConfigField[] DynamicSparseFields() =>
    [
        F("method", "Dynamic-sparsity method: sm (Sparse Momentum), set, rigl, or static (random mask held fixed).", c => c.Method, (c, v) => c.Method = (string)v!, Dst),
        F<double?>("prune-rate", "Initial prune rate p0 (fraction of each layer's active weights dropped and regrown per update; sm 0.5, set 0.3, rigl 0.3).", c => c.PruneRate, (c, v) => c.PruneRate = v, Dst),
        F<string?>("drop", "Drop criterion (sparse_learning's --prune): magnitude (per layer) or global_magnitude (one threshold over all layers).", c => c.Drop, (c, v) => c.Drop = v, Dst),
        F<string?>("growth", "Growth criterion: momentum, gradient, random, momentum_neuron (per output neuron) or global_momentum_growth (one threshold over all layers).", c => c.Growth, (c, v) => c.Growth = v, Dst),
        F<string?>("redistribution", "Redistribution: momentum, magnitude, nonzero, none (∝ size) or layerwise.", c => c.Redistribution, (c, v) => c.Redistribution = v, Dst),
        F<string?>("decay-schedule", "Prune-rate schedule: cosine, linear or constant.", c => c.DecaySchedule, (c, v) => c.DecaySchedule = v, Dst),
        F<int?>("update-every", "Mask update every N steps (rigl 100); 0 = end of every epoch but the last (sm, set).", c => c.UpdateEvery, (c, v) => c.UpdateEvery = v, Dst),
        F("sparse-kernels", "Sparse kernels for masked layers: auto (per layer, when faster for its shape and density), on, or off (dense weights × mask, the reference way).", c => c.SparseKernels, (c, v) => c.SparseKernels = (string)v!, Dst),
        F("dense-grad", "Weight gradient of pruned positions on the sparse path: exact (dense every step, same training as dense kernels) or fast (only right before mask updates that read it; docs/sparse-execution.md).", c => c.DenseGrad, (c, v) => c.DenseGrad = (string)v!, Dst),
        F<string?>("sparse-init", "Initial per-layer density: uniform (sm), er (set), erk (rigl) or er-search (sparse_learning's 'linear' ε search).", c => c.SparseInit, (c, v) => c.SparseInit = v, Dst),
    ];
}
