namespace Winnow.NN.Optim;

/// <summary>
/// Element-wise access to an optimizer's per-parameter momentum, for sparse training methods that read
/// or edit it from outside the optimizer: Sparse Momentum reads the momentum of zero (masked) weights to
/// decide where to regrow; RigL zeroes the momentum of newly grown connections.
/// </summary>
/// <remarks>
/// For SGD the momentum is the raw buffer v (not the Nesterov direction d + μ·v). For Adam it is the
/// first moment <c>exp_avg</c> (raw, not bias-corrected); Adam additionally exposes <c>exp_avg_sq</c>.
/// </remarks>
public interface IHasMomentum
{
    /// <summary>
    /// The live momentum buffer of <paramref name="parameter"/> (same shape; writes change the optimizer's
    /// state), or null before the parameter's first update or when the optimizer keeps no momentum
    /// (SGD with μ = 0).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="parameter"/> is not managed by this optimizer.</exception>
    Tensor? GetMomentumBuffer(Parameter parameter);

    /// <summary>
    /// Sets the momentum state of <paramref name="parameter"/> to zero wherever <paramref name="where"/>
    /// is true (flat, row-major, one flag per element). For Adam both moments are zeroed, as RigL does
    /// for every optimizer slot. Does nothing when the parameter has no state yet.
    /// </summary>
    /// <exception cref="ArgumentException">The parameter is not managed by this optimizer, or the mask length differs from its element count.</exception>
    void ResetMomentum(Parameter parameter, ReadOnlySpan<bool> where);
}
