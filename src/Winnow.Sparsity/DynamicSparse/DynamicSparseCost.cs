using Winnow.Sparsity.Reports;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Analytic costs of a dynamic-sparse run from a <see cref="SparsityReport"/> (per image, FLOPs = 2·MACs,
/// F_l = a layer's dense forward MACs, d_l its density).
/// <list type="bullet">
/// <item>Sparse Momentum's estimated speed-up (ALGORITHMS.md §2.11, deterministic form): conv layers
/// only, forward only, Σ F_l / Σ d_l·a_l·F_l with input-activation density a_l = 1 (not measured), i.e. the
/// "sparse convolution" estimate; with no conv layer the linear layers are used.</item>
/// <item>Training FLOPs per step: Sparse Momentum computes dense weight gradients (momentum of masked
/// weights), so 2·(Σ d_l·F_l + Σ_{l≠first} d_l·F_l + Σ F_l); RigL is static-sparse except one dense
/// gradient every ΔT steps: (3f_S·ΔT + 2f_S + f_D)/(ΔT + 1) (Evci et al. 2020, App. H); SET and
/// static masks cost the static-sparse 2·(3·Σ d_l F_l − d_first·F_first).</item>
/// </list>
/// </summary>
public static class DynamicSparseCost
{
    /// <summary>Σ dense / Σ sparse forward MACs over the conv layers (linear layers if there are none).</summary>
    public static double EstimatedSpeedup(SparsityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var layers = report.Layers.Where(l => l.Kind == "conv").ToList();
        if (layers.Count == 0)
        {
            layers = [.. report.Layers];
        }

        long sparse = layers.Sum(l => l.SparseMacs);
        return sparse == 0 ? double.PositiveInfinity : (double)layers.Sum(l => l.DenseMacs) / sparse;
    }

    /// <summary>Training FLOPs per image of one step of <paramref name="options"/>' method at the masks of <paramref name="report"/>.</summary>
    public static double TrainingFlops(SparsityReport report, DynamicSparseOptions options, bool staticMask)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        double sparse = report.SparseTrainingFlops;
        if (staticMask)
        {
            return sparse;
        }

        if (options.Growth == "momentum")
        {
            long first = report.Layers.Count > 0 ? report.Layers[0].SparseMacs : 0;
            return 2.0 * (2 * report.SparseMacs - first + report.DenseMacs);
        }

        if (options.Growth == "gradient" && options.UpdateEvery > 0)
        {
            double dt = options.UpdateEvery, fs = 2.0 * report.SparseMacs, fd = 2.0 * report.DenseMacs;
            return (3 * fs * dt + 2 * fs + fd) / (dt + 1);
        }

        return sparse;
    }
}
