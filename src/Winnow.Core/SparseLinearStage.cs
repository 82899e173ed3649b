namespace Winnow;

/// <summary>One layer of <see cref="Ops.SparseLinearChain"/>: y = x·Wᵀ + b over the kept weights, then max(·, 0) when <see cref="Relu"/>.</summary>
/// <param name="Weight">W (out, in), zero outside the pattern.</param>
/// <param name="Bias">b (out), or null.</param>
/// <param name="Sparse">The kept positions of W (used whatever its <see cref="SparseWeight.Enabled"/> flag).</param>
/// <param name="Relu">Whether a ReLU follows the layer.</param>
public readonly record struct SparseLinearStage(Tensor Weight, Tensor? Bias, SparseWeight Sparse, bool Relu);
