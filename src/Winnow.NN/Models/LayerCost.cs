namespace Winnow.NN.Models;

/// <summary>
/// The cost of one conv/linear op in a batch-1 forward: the weight's dotted name (or "Op#i" when the
/// weight tensor has no name), the op ("Conv2d", "Linear", "MatMul") and its multiply-accumulates.
/// </summary>
public sealed record LayerCost(string Weight, string Op, long Macs)
{
    /// <summary>2·MACs.</summary>
    public long Flops => 2 * Macs;
}
