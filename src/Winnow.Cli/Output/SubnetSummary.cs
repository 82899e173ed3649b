using Winnow.Sparsity.Subnetworks;

namespace Winnow.Cli.Output;

/// <summary>The "subnet" block of a `winnow subnet` summary.json and its console table.</summary>
public static class SubnetSummary
{
    /// <summary>Kept weights, size in bits against fp32, per-layer kept counts and α, and the ticket file size.</summary>
    public static Dictionary<string, object?> Build(SubnetOptions o, string model, SubnetSizeReport r, long? ticketBytes, double? globalThreshold, SubnetOpCounts? ops = null) => new()
    {
        ["method"] = o.Method == SubnetMethod.Biprop ? "biprop" : "edge-popup",
        ["model"] = model,
        ["keep_fraction"] = o.KeepFraction,
        ["init"] = o.Init.ToString(),
        ["scale_fan"] = o.ScaleFan.ToString(),
        ["alpha_denominator"] = o.AlphaDenominator.ToString(),
        ["global"] = o.Global,
        ["global_threshold"] = globalThreshold,
        ["learn_batchnorm"] = o.LearnBatchNorm,
        ["tune_batchnorm"] = o.TuneBatchNorm,
        ["bn_bias_only"] = o.BatchNormBiasOnly,
        ["trained"] = Trained(o),
        ["masked_weights"] = r.TotalWeights,
        ["kept_weights"] = r.KeptWeights,
        ["kept_fraction"] = r.KeptFraction,
        ["size_bits"] = new Dictionary<string, object?>
        {
            ["weights"] = r.WeightBits,
            ["mask"] = r.MaskBits,
            ["batchnorm"] = r.BatchNormBits,
            ["other"] = r.OtherBits,
            ["total"] = r.TotalBits,
            ["dense_fp32"] = r.DenseFp32Bits,
            ["compression"] = Math.Round(r.CompressionRatio, 3),
        },
        ["ticket_file_bytes"] = ticketBytes,
        ["dense_fp32_bytes"] = r.DenseFp32Bits / 8,
        ["layers"] = r.Layers.Select(l => new Dictionary<string, object?>
        {
            ["name"] = l.Name,
            ["weights"] = l.Weights,
            ["kept"] = l.Kept,
            ["alpha"] = l.Alpha,
        }).ToList(),
        ["ops_per_image"] = ops is null ? null : Ops(ops),
    };

    /// <summary>The analytic operation counts per image: FLOPs and XNOR-popcount bit-ops, against the dense fp32 FLOPs.</summary>
    public static Dictionary<string, object?> Ops(SubnetOpCounts c) => new()
    {
        ["dense_flops"] = c.DenseFlops,
        ["flops"] = c.Flops,
        ["bit_ops"] = c.BitOps,
        ["ops"] = Math.Round(c.Ops, 2),
        ["ops_convention"] = $"ops = flops + bit_ops/{SubnetOpCounts.BitOpsPerFlop} (Bi-Real Net); flops = 2 per kept multiply-accumulate of a layer with a real operand; bit_ops = 1 XNOR-popcount per kept multiply-accumulate of a layer with ±α weights and a sign input",
        ["reduction"] = Math.Round(c.Reduction, 3),
        ["layers"] = c.Layers.Select(l => new Dictionary<string, object?>
        {
            ["name"] = l.Name,
            ["binary_weights"] = l.BinaryWeights,
            ["binary_input"] = l.BinaryInput,
            ["dense_macs"] = l.DenseMacs,
            ["kept_macs"] = l.KeptMacs,
            ["flops"] = l.Flops,
            ["bit_ops"] = l.BitOps,
        }).ToList(),
    };

    /// <summary>A plain-text table of the per-layer operation counts per image with the totals.</summary>
    public static string OpsTable(SubnetOpCounts c)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(Format.Invariant($"{"layer",-28} {"weights",-7} {"input",-6} {"dense FLOPs",14} {"kept FLOPs",14} {"bit-ops",14}"));
        foreach (var l in c.Layers)
        {
            sb.AppendLine(Format.Invariant($"{l.Name,-28} {(l.BinaryWeights ? "±α" : "real"),-7} {(l.BinaryInput ? "sign" : "real"),-6} {l.DenseFlops,14:N0} {l.Flops,14:N0} {l.BitOps,14:N0}"));
        }

        sb.AppendLine(Format.Invariant($"{"total",-28} {"",-7} {"",-6} {c.DenseFlops,14:N0} {c.Flops,14:N0} {c.BitOps,14:N0}"));
        sb.AppendLine(Format.Invariant($"ops per image: {c.Flops:N0} FLOPs + {c.BitOps:N0} bit-ops (XNOR-popcount) = {c.Ops:N1} OPs at bit-ops/{SubnetOpCounts.BitOpsPerFlop} vs dense fp32 {c.DenseFlops:N0} FLOPs: {c.Reduction:F1}× fewer"));
        return sb.ToString();
    }

    /// <summary>What the optimizer updates (the reference's freezing routine, §3.8), e.g. "scores + BN γ/β".</summary>
    public static string Trained(SubnetOptions o)
    {
        string bn = o.BatchNormBiasOnly ? "BN β" : "BN γ/β";
        return o.TuneBatchNorm ? bn + " only (scores frozen)" : o.TrainsBatchNorm ? "scores + " + bn : "scores";
    }

    /// <summary>A plain-text table of the per-layer kept counts and gains, with the size totals.</summary>
    public static string Table(SubnetSizeReport r)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(Format.Invariant($"{"layer",-28} {"weights",12} {"kept",12} {"kept %",8} {"alpha",12}"));
        foreach (var l in r.Layers)
        {
            sb.AppendLine(Format.Invariant($"{l.Name,-28} {l.Weights,12:N0} {l.Kept,12:N0} {100.0 * l.Kept / l.Weights,7:F2}% {l.Alpha,12:G6}"));
        }

        sb.AppendLine(Format.Invariant($"{"total",-28} {r.TotalWeights,12:N0} {r.KeptWeights,12:N0} {100 * r.KeptFraction,7:F2}%"));
        sb.AppendLine(Format.Invariant($"size: {r.TotalBits:N0} bits ({r.TotalBits / 8.0 / 1024:F1} KiB: weights {r.WeightBits:N0} + mask {r.MaskBits:N0} + BN {r.BatchNormBits:N0} + other {r.OtherBits:N0}) vs fp32 {r.DenseFp32Bits:N0} bits ({r.DenseFp32Bits / 8.0 / 1024:F1} KiB): {r.CompressionRatio:F1}× smaller"));
        return sb.ToString();
    }
}
