using Winnow.Autograd;

namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// The effective weight of a score-masked layer from (scores S, frozen weight W) with the mask M and
/// gain α already chosen (ALGORITHMS.md §3.3–3.4, §4.6):
/// <code>
/// edge-popup: W_eff = W ⊙ M            biprop: W_eff = sign(W) ⊙ (α·M)   (sign(0) = 0)
/// backward (both, the corrected straight-through of biprop commit ce6a364):
///   ∂L/∂S = ∂L/∂W_eff ⊙ W ⊙ sign(S)    (dense: pruned scores move too; 0 where S = 0)
/// </code>
/// For biprop this is ∂L/∂Q ⊙ |W| ⊙ sign(S) with ∂L/∂Q = ∂L/∂W_eff ⊙ sign(W); α and the top-k are
/// constants. W is frozen and gets no gradient. Pruned entries are written as +0 so a rebuilt ticket
/// (<see cref="CompactTicket"/>) reproduces the outputs bit for bit.
/// </summary>
public sealed class ScoreStraightThrough : CustomOp
{
    private readonly float[] _mask;
    private readonly float _alpha;
    private readonly SubnetMethod _method;

    /// <summary>Creates the op for one forward pass with mask <paramref name="mask"/> and gain <paramref name="alpha"/> (ignored by edge-popup). The mask is read only by the forward.</summary>
    public ScoreStraightThrough(float[] mask, float alpha, SubnetMethod method)
    {
        _mask = mask;
        _alpha = alpha;
        _method = method;
    }

    /// <summary>Inputs: [scores, weight] of equal shape.</summary>
    protected override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        var w = inputs[1].Data;
        var y = inputs[1].EmptyLike();
        var d = y.Data;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = _mask[i] == 0f || w[i] == 0f ? 0f
                : _method == SubnetMethod.EdgePopup ? w[i]
                : w[i] > 0 ? _alpha : -_alpha;
        }

        return y;
    }

    /// <inheritdoc/>
    protected override Tensor?[] Backward(IReadOnlyList<Tensor> inputs, Tensor output, Tensor gradOutput)
    {
        var s = inputs[0].Data;
        var w = inputs[1].Data;
        var g = gradOutput.Data;
        var ds = inputs[0].EmptyLike();
        var d = ds.Data;
        for (int i = 0; i < d.Length; i++)
        {
            float gw = g[i] * w[i];
            d[i] = s[i] > 0 ? gw : s[i] < 0 ? -gw : 0f;
        }

        return [ds, null];
    }
}
