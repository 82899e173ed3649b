using Winnow.NN;
using Winnow.NN.Layers;

namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// Storage of a found subnetwork (ALGORITHMS.md §3.14) against the dense fp32 network:
/// <code>
/// biprop:     weight bits = kept (1 sign bit each) + 32 per layer for α
/// edge-popup: weight bits = 32 per kept weight (the random values themselves)
/// mask bits   = 1 per masked weight (bitmap)
/// BN bits     = 32 per running mean/var entry (+ γ, β when affine): needed for inference even when not learned
/// other bits  = 32 per remaining parameter (dense first/last layers, biases)
/// fp32 bits   = 32 per masked weight + BN bits + other bits
/// </code>
/// This is the size of <see cref="CompactTicket"/>'s payload; the file adds a small JSON header.
/// </summary>
public sealed record SubnetSizeReport
{
    public required IReadOnlyList<SubnetLayerSize> Layers { get; init; }

    public required SubnetMethod Method { get; init; }

    public long TotalWeights => Layers.Sum(l => (long)l.Weights);

    public long KeptWeights => Layers.Sum(l => (long)l.Kept);

    /// <summary>Kept fraction over the masked layers.</summary>
    public double KeptFraction => TotalWeights == 0 ? 0 : (double)KeptWeights / TotalWeights;

    /// <summary>Bits for the kept weights (signs, or fp32 values for edge-popup) and the per-layer α.</summary>
    public long WeightBits => Method == SubnetMethod.Biprop ? KeptWeights + (32L * Layers.Count) : 32L * KeptWeights;

    public long MaskBits => TotalWeights;

    public required long BatchNormBits { get; init; }

    public required long OtherBits { get; init; }

    public long TotalBits => WeightBits + MaskBits + BatchNormBits + OtherBits;

    public long DenseFp32Bits => (32L * TotalWeights) + BatchNormBits + OtherBits;

    /// <summary>fp32 size over subnetwork size.</summary>
    public double CompressionRatio => TotalBits == 0 ? 0 : (double)DenseFp32Bits / TotalBits;

    /// <summary>Measures <paramref name="subnet"/> after refreshing its masks.</summary>
    public static SubnetSizeReport Measure(Subnetwork subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        subnet.Refresh();
        return Build(
            subnet.Model,
            subnet.Options.Method,
            subnet.Masks.Select(m => new SubnetLayerSize(m.Name, m.Weight.Length, m.Kept, m.Method == SubnetMethod.Biprop ? m.Alpha : 1f)).ToArray());
    }

    /// <summary>Measures a ticket rebuilt by <see cref="CompactTicket.Load"/> from its header's per-layer kept counts and α.</summary>
    public static SubnetSizeReport FromTicket(Module model, CompactTicketHeader header)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(header);
        var method = header.Method == "biprop" ? SubnetMethod.Biprop : SubnetMethod.EdgePopup;
        return Build(
            model,
            method,
            header.Layers.Select(l => new SubnetLayerSize(l.Name, l.Shape.Aggregate(1, (a, b) => a * b), l.Kept, method == SubnetMethod.Biprop ? l.Alpha : 1f)).ToArray());
    }

    private static SubnetSizeReport Build(Module model, SubnetMethod method, IReadOnlyList<SubnetLayerSize> layers)
    {
        model.NameTensors();
        var masked = layers.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        long bn = 0, other = 0;
        foreach (var (_, module) in model.NamedModules())
        {
            if (module is BatchNorm b)
            {
                bn += 32L * ((b.RunningMean?.Length ?? 0) + (b.RunningVar?.Length ?? 0) + (b.Weight?.Length ?? 0) + (b.Bias?.Length ?? 0));
            }
        }

        var bnParams = model.NamedModules().Select(kv => kv.Value).OfType<BatchNorm>().SelectMany(b => new[] { b.Weight, b.Bias }).Where(p => p is not null).ToHashSet();
        foreach (var p in model.Parameters())
        {
            if (!masked.Contains(p.Name ?? "") && !bnParams.Contains(p))
            {
                other += 32L * p.Length;
            }
        }

        return new SubnetSizeReport { Method = method, Layers = layers, BatchNormBits = bn, OtherBits = other };
    }
}
