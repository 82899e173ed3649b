namespace Winnow.Sparsity.Execution;

/// <summary>
/// When sparse layers compute the full dense weight gradient (<c>--dense-grad</c>). The forward pass
/// and the input gradient are sparse in both modes; only dL/dW at pruned positions differs.
/// </summary>
public enum DenseGradientMode
{
    /// <summary>
    /// Dense dL/dW every step: gradients, momentum and every mask update are those of the dense-kernel
    /// run, up to floating-point summation order (Sparse Momentum's momentum of zero weights included).
    /// </summary>
    Exact,

    /// <summary>
    /// Dense dL/dW only on the steps right before a mask update that reads gradients or momentum of
    /// pruned weights (momentum or gradient growth, as RigL does); otherwise dL/dW at kept positions
    /// only, so pruned weights' momentum gets no gradient between updates.
    /// </summary>
    Fast,
}
