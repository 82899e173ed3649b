namespace Winnow.Sparsity.Execution;

/// <summary>Whether masked Linear/Conv2d layers run the sparse kernels (<c>--sparse-kernels</c>).</summary>
public enum SparseKernelMode
{
    /// <summary>Per layer, sparse when <see cref="SparseExecutionPolicy"/> predicts it is faster for the layer's shape and density.</summary>
    Auto,

    /// <summary>Every masked layer runs sparse.</summary>
    On,

    /// <summary>Dense kernels everywhere (the reference behaviour: dense weights × mask).</summary>
    Off,
}
