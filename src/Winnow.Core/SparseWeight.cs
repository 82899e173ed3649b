using Winnow.Kernels;

namespace Winnow;

/// <summary>
/// Marks a Linear or Conv2d weight as sparse for execution: the <see cref="SparsePattern"/> of its
/// kept positions (W viewed as (out, in) or (O, C·KH·KW)) and whether the backward pass must still
/// produce the dense weight gradient. <see cref="Ops.Linear(Tensor, Tensor, Tensor?, SparseWeight?)"/>
/// and <see cref="Ops.Conv2d(Tensor, Tensor, Tensor?, int, int, int, int, SparseWeight?)"/> then run
/// the sparse kernels: the forward pass and the input gradient touch only kept weights, and the
/// weight gradient is computed at the kept positions only (zeros elsewhere) unless
/// <see cref="DenseWeightGradient"/> is set.
/// </summary>
/// <remarks>
/// Exact only while the dense weight is zero outside the pattern (hard masks re-applied after each
/// step guarantee it): the kernels compute with W ⊙ M. Methods that read gradients or momentum of
/// pruned weights (Sparse Momentum, RigL's growth) set <see cref="DenseWeightGradient"/> on the steps
/// that need them. Autograd is unchanged: the op records one node whose backward calls the kernels.
/// </remarks>
public sealed class SparseWeight
{
    /// <summary>Creates the execution state over <paramref name="pattern"/>.</summary>
    public SparseWeight(SparsePattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
    }

    /// <summary>The kept positions; rebuild it (<see cref="SparsePattern.Rebuild"/>) when the mask changes.</summary>
    public SparsePattern Pattern { get; }

    /// <summary>When true the weight gradient is the full dense dL/dW (forward and input gradient stay sparse).</summary>
    public bool DenseWeightGradient { get; set; }

    /// <summary>When false the ops ignore this state and run the dense kernels (the execution policy's choice).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether the layer may run sparse inside a fused inference chain of sparse Linear layers
    /// (<see cref="Ops.SparseLinearChain"/>) even when <see cref="Enabled"/> is false: the execution
    /// policy leaves tiny layers dense because alone they pay for transposing their activations in and
    /// out, which inside a chain they do not. Such a layer only joins a chain that an enabled layer started.
    /// </summary>
    public bool InChains { get; set; }

    // Set by FreezeValues: the pattern version whose CSR values were gathered for reuse (−1: not frozen).
    private int _frozenVersion = -1;

    /// <summary>
    /// Gathers the kept entries of <paramref name="weight"/> into the pattern's CSR values now, and lets
    /// inference forwards (no gradient recorded) reuse them instead of gathering on every call, until
    /// <see cref="ThawValues"/> or a rebuild of the pattern. The weight must not change in between:
    /// a frozen forward does not see it. Inference engines pre-pack weights the same way;
    /// <c>Evaluator</c> freezes for the length of one evaluation.
    /// </summary>
    /// <exception cref="ArgumentException">The weight does not have the pattern's Rows·Cols entries.</exception>
    public void FreezeValues(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Pattern.GatherCsr(weight.Data);
        _frozenVersion = Pattern.Version;
    }

    /// <summary>Ends <see cref="FreezeValues"/>: every forward gathers the current weight again.</summary>
    public void ThawValues() => _frozenVersion = -1;

    /// <summary>True while the CSR values hold the weight frozen by <see cref="FreezeValues"/> for the current pattern.</summary>
    public bool ValuesFrozen => _frozenVersion >= 0 && _frozenVersion == Pattern.Version;

    // The gradient buffer whose entries outside the pattern this weight's sparse gradient last left at
    // zero, the pattern version it used and the buffer's write count right after (see Tensor.GradWrites).
    private Tensor? _zeroedGrad;
    private int _zeroedVersion;
    private long _zeroedWrites;

    /// <summary>
    /// True when <paramref name="grad"/> (just handed out for writing by <paramref name="weight"/>) is the
    /// buffer the last kept-position gradient wrote, with the same pattern, and nothing was written to it
    /// through autograd since — so its entries outside the pattern are still zero and need no re-zeroing.
    /// </summary>
    internal bool UnkeptGradientIsZero(Tensor weight, Tensor grad) =>
        ReferenceEquals(_zeroedGrad, grad) && _zeroedVersion == Pattern.Version && _zeroedWrites + 1 == weight.GradWrites;

    /// <summary>Records that <paramref name="grad"/> now holds zeros outside the pattern (or, with null, that nothing is known).</summary>
    internal void NoteGradientWrite(Tensor weight, Tensor? grad)
    {
        _zeroedGrad = grad;
        _zeroedVersion = Pattern.Version;
        _zeroedWrites = weight.GradWrites;
    }
}
