using Winnow.NN;
using Winnow.NN.Layers;

namespace Winnow.Sparsity.Masks;

/// <summary>
/// The score top-k mask mode (edge-popup): W_eff = W ⊙ TopK(|S|), with trainable scores S of the
/// weight's shape (initialised Kaiming-uniform a = √5, i.e. U(±1/√fan_in), as the reference) and a
/// straight-through gradient. The mask is recomputed from the scores in every forward pass.
/// </summary>
public sealed class ScoreMask : IWeightTransform
{
    private readonly TopKStraightThrough _op;

    /// <summary>Creates scores for <paramref name="weight"/> keeping fraction <paramref name="keepFraction"/> per layer.</summary>
    public ScoreMask(Tensor weight, double keepFraction, Rng rng)
    {
        _op = new TopKStraightThrough(keepFraction);
        Scores = new Parameter(weight.Shape.ToArray()) { Name = (weight.Name ?? "weight") + ".scores" };
        Init.KaimingUniform(Scores, rng);
    }

    /// <summary>The trainable scores S.</summary>
    public Parameter Scores { get; }

    public double KeepFraction => _op.KeepFraction;

    /// <summary>The current binary mask (outside autograd).</summary>
    public Tensor CurrentMask()
    {
        using var noGrad = Autograd.GradMode.NoGrad();
        return _op.Apply(Scores);
    }

    public Tensor Apply(Tensor weight) => Ops.Mul(weight, _op.Apply(Scores));
}
