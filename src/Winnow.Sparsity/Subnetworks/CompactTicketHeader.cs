namespace Winnow.Sparsity.Subnetworks;

/// <summary>The JSON header of a <see cref="CompactTicket"/> file: how to rebuild the network and where each tensor's bits are.</summary>
public sealed record CompactTicketHeader
{
    public required string Format { get; init; }

    /// <summary>Zoo model name.</summary>
    public required string Model { get; init; }

    public required int InChannels { get; init; }

    public required int InputSize { get; init; }

    public required int Classes { get; init; }

    public required double WidthMultiplier { get; init; }

    public bool? Bias { get; init; }

    public required bool AffineBatchNorm { get; init; }

    /// <summary>Dataset the ticket was found on (informational; null if not given).</summary>
    public string? Dataset { get; init; }

    /// <summary>"biprop" or "edge-popup".</summary>
    public required string Method { get; init; }

    /// <summary>The keep fraction k of the search (null in tickets written before it was recorded).</summary>
    public double? KeepFraction { get; init; }

    /// <summary>Whether k was applied globally (one threshold) rather than per layer (null when not recorded).</summary>
    public bool? Global { get; init; }

    /// <summary>Masked layers in file order: name, shape, kept count, α.</summary>
    public required IReadOnlyList<CompactTicketLayer> Layers { get; init; }

    /// <summary>Every other state tensor (BN statistics, dense layers), stored as fp32 in file order.</summary>
    public required IReadOnlyList<CompactTicketLayer> Dense { get; init; }
}
