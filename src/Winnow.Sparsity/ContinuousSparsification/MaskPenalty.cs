using Winnow.NN;
using Winnow.NN.Training;

namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>
/// The Continuous Sparsification penalty λ·Σ_layers Σ_i m_i with m = c·σ(β·s) (ALGORITHMS.md §1.4),
/// added to the cross-entropy each step. Its gradient per logit is λ·c·β·σ(βs)(1 − σ(βs)).
/// Skipped (null) when λ = 0, or in hard mode unless <see cref="InHardMode"/> (then a constant).
/// </summary>
public sealed class MaskPenalty : ILossTerm
{
    private readonly SoftMaskSet _masks;
    private readonly double _lambda;

    /// <summary>The penalty λ·Σ m of <paramref name="masks"/>.</summary>
    public MaskPenalty(SoftMaskSet masks, double lambda, bool inHardMode = false)
    {
        _masks = masks;
        _lambda = lambda;
        InHardMode = inHardMode;
    }

    public string Name => "mask_penalty";

    /// <summary>Also add the (gradient-free) term while the masks are hard (reference behaviour).</summary>
    public bool InHardMode { get; }

    public Tensor? Compute(TrainingContext context)
        => _lambda == 0 || (_masks.Hard && !InHardMode) ? null : _masks.Penalty(_lambda);
}
