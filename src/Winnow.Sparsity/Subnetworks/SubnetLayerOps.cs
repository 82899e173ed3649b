namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// Analytic inference cost of one conv/linear layer of a found subnetwork, per image (see
/// <see cref="SubnetOpCounts"/>): its dense multiply-accumulates, the kept ones (dense·kept/total), and
/// whether they are binary — weights ±α (biprop, masked layer) and an input of signs — so each is one
/// XNOR-popcount bit-op instead of a multiply and an add.
/// </summary>
public sealed record SubnetLayerOps(string Name, int Weights, int Kept, long DenseMacs, long KeptMacs, bool BinaryWeights, bool BinaryInput)
{
    /// <summary>Both operands binary (MPT-1/1 layers after the first).</summary>
    public bool Binary => BinaryWeights && BinaryInput;

    /// <summary>Real FLOPs of the kept weights: 2·kept MACs, or 0 for a binary layer.</summary>
    public long Flops => Binary ? 0 : 2 * KeptMacs;

    /// <summary>XNOR-popcount bit-ops: one per kept MAC of a binary layer, else 0.</summary>
    public long BitOps => Binary ? KeptMacs : 0;

    /// <summary>FLOPs of the dense fp32 layer: 2·dense MACs.</summary>
    public long DenseFlops => 2 * DenseMacs;
}
