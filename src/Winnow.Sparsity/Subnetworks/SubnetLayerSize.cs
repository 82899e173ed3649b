namespace Winnow.Sparsity.Subnetworks;

/// <summary>One score-masked layer in a <see cref="SubnetSizeReport"/>: weight count, kept count and gain α (1 for edge-popup).</summary>
public sealed record SubnetLayerSize(string Name, int Weights, int Kept, float Alpha);
