using Winnow.Sparsity.Reports;

namespace Winnow.Cli.Output;

/// <summary>The density figures of a run's summary.json (from a <see cref="SparsityReport"/>).</summary>
public static class SparsitySummary
{
    /// <summary>Densities over the masked tensors and over all conv+linear weights, counts, FLOPs and the per-layer densities.</summary>
    public static Dictionary<string, object?> Build(SparsityReport r) => new()
    {
        ["masked_density"] = r.MaskedDensity,
        ["masked_kept"] = r.MaskedKept,
        ["masked_total"] = r.MaskedTotal,
        ["weight_density"] = r.WeightDensity,
        ["weight_kept"] = r.WeightKept,
        ["weight_total"] = r.WeightTotal,
        ["kept_parameters"] = r.KeptParameters,
        ["parameters"] = r.Parameters,
        ["dense_inference_flops"] = r.DenseFlops,
        ["sparse_inference_flops"] = r.SparseFlops,
        ["inference_flops_ratio"] = Math.Round(r.InferenceSpeedup, 4),
        ["dense_training_flops"] = r.DenseTrainingFlops,
        ["sparse_training_flops"] = r.SparseTrainingFlops,
        ["training_flops_ratio"] = Math.Round(r.TrainingSpeedup, 4),
        ["layers"] = r.Layers.Select(l => new Dictionary<string, object?>
        {
            ["name"] = l.Name,
            ["kept"] = l.Kept,
            ["total"] = l.Total,
            ["density"] = l.Density,
            ["masked"] = l.Masked,
        }).ToList(),
    };
}
