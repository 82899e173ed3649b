namespace Winnow.Sparsity.Execution;

/// <summary>
/// Chooses, per layer, whether the sparse kernels are expected to beat the dense ones, from a cost
/// model calibrated on this engine's kernels (2 AVX2 cores, batch 100, see docs/sparse-execution.md
/// and <c>winnow bench-model</c>): dense GEMM reaches several times the multiply-add rate of the
/// sparse kernels (broadcast weight, random rows of the activations), and the sparse path pays for
/// transposing activations (Linear) or two im2col passes (Conv2d). So a layer runs sparse when its
/// density is at most <see cref="MaxDensity"/>, and is not tiny (tiny layers cost microseconds either
/// way, and the dense path has no per-call transposes).
/// </summary>
/// <remarks>Deterministic: the choice depends only on shape and density, never on a timing, so runs reproduce.</remarks>
public sealed record SparseExecutionPolicy
{
    /// <summary>Highest density at which a layer runs sparse in <see cref="SparseKernelMode.Auto"/>.</summary>
    public double MaxDensity { get; init; } = 0.2;

    /// <summary>Layers with fewer weights than this stay dense in <see cref="SparseKernelMode.Auto"/>.</summary>
    public int MinWeights { get; init; } = 2048;

    /// <summary>
    /// Conv2d layers with fewer weights than this stay dense in <see cref="SparseKernelMode.Auto"/>. Lower
    /// than <see cref="MinWeights"/> because a conv weight is used at every output pixel: LeNet-5-Caffe's
    /// first conv (500 weights, 24×24 outputs) ran its forward + backward 2.4–3.1× faster sparse at 5%
    /// (<c>winnow bench-model lenet5 --density 0.05</c>, docs/sparse-execution.md).
    /// </summary>
    public int MinConvWeights { get; init; } = 256;

    /// <summary>
    /// Whether a Linear layer of this density should run sparse when it continues a fused inference
    /// chain of sparse layers (<see cref="SparseWeight.InChains"/>), whatever its size: inside a chain it
    /// pays no transposes, the only reason tiny layers lose alone.
    /// </summary>
    public bool UseSparseInChain(SparseKernelMode mode, double density) => mode switch
    {
        SparseKernelMode.On => true,
        SparseKernelMode.Off => false,
        _ => density <= MaxDensity,
    };

    /// <summary>Whether a Linear layer with <paramref name="weights"/> entries and the given density should run sparse.</summary>
    public bool UseSparse(SparseKernelMode mode, long weights, double density) => UseSparse(mode, weights, density, isConv: false);

    /// <summary>Whether a layer with <paramref name="weights"/> entries and the given density should run sparse; conv layers use <see cref="MinConvWeights"/>.</summary>
    public bool UseSparse(SparseKernelMode mode, long weights, double density, bool isConv) => mode switch
    {
        SparseKernelMode.On => true,
        SparseKernelMode.Off => false,
        _ => density <= MaxDensity && weights >= (isConv ? MinConvWeights : MinWeights),
    };
}
