using Winnow.NN;
using Winnow.NN.Layers;

namespace Winnow.Sparsity.Masks;

/// <summary>
/// The learned soft mask mode (Continuous Sparsification, ALGORITHMS.md §1.2–1.3): mask logits s of
/// the weight's shape, initialised to s0; soft mode m = c·σ(β·s), hard (ticket) mode m = c·1[s &gt; 0],
/// with c = 1/σ(s0) so that the initial effective weight equals the raw weight at β = 1.
/// W_eff = W ⊙ m; plain autograd through the sigmoid in soft mode, no gradient to s in hard mode.
/// </summary>
public sealed class SoftMask : IWeightTransform
{
    /// <summary>Creates logits for <paramref name="weight"/> all equal to <paramref name="initialValue"/> (s0).</summary>
    public SoftMask(Tensor weight, float initialValue = 0f)
    {
        InitialValue = initialValue;
        Scale = (float)(1 + Math.Exp(-initialValue));
        Logits = new Parameter(weight.Shape.ToArray()) { Name = (weight.Name ?? "weight") + ".mask_logits" };
        Logits.Data.Fill(initialValue);
    }

    /// <summary>The trainable logits s.</summary>
    public Parameter Logits { get; }

    /// <summary>s0.</summary>
    public float InitialValue { get; }

    /// <summary>c = 1/σ(s0).</summary>
    public float Scale { get; }

    /// <summary>Temperature β (the search schedule raises it each round).</summary>
    public float Beta { get; set; } = 1f;

    /// <summary>Hard (ticket) mode: m = c·1[s &gt; 0].</summary>
    public bool Hard { get; set; }

    /// <summary>
    /// Scale the hard mask by c (reference behaviour, ALGORITHMS.md §1.14.3; default true). False gives a
    /// plain 0/1 ticket mask.
    /// </summary>
    public bool ScaleHardMask { get; set; } = true;

    /// <summary>The mask m as a differentiable tensor (soft mode) or a constant (hard mode).</summary>
    public Tensor Mask()
    {
        if (!Hard)
        {
            return Ops.Scale(Ops.Sigmoid(Ops.Scale(Logits, Beta)), Scale);
        }

        float kept = ScaleHardMask ? Scale : 1f;
        var m = Logits.EmptyLike();
        var s = Logits.Data;
        var d = m.Data;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = s[i] > 0 ? kept : 0f;
        }

        return m;
    }

    public Tensor Apply(Tensor weight) => Ops.Mul(weight, Mask());
}
