namespace Winnow.Sparsity.Subnetworks;

/// <summary>One tensor in a <see cref="CompactTicketHeader"/> (Kept and Alpha only for masked layers).</summary>
public sealed record CompactTicketLayer(string Name, int[] Shape, int Kept = 0, float Alpha = 0f);
