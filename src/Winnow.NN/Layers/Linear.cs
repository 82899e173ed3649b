namespace Winnow.NN.Layers;

/// <summary>
/// Fully connected layer y = x·Wᵀ + b, W (out, in). PyTorch's default init: W ~ Kaiming-uniform(a=√5),
/// i.e. U(±1/√in), and b ~ U(±1/√in).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer, initialising from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is not positive.</exception>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear({inFeatures}, {outFeatures}): feature counts must be positive.");
        }

        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", new Parameter(outFeatures, inFeatures));
        Init.KaimingUniform(Weight, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", new Parameter(outFeatures));
            Init.BiasUniform(Bias, inFeatures, rng);
        }
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public Parameter Weight { get; }

    public Parameter? Bias { get; }

    /// <summary>Optional transform of the weight applied in every forward pass (masks, binarisation); null uses the weight as is.</summary>
    public IWeightTransform? WeightTransform { get; set; }

    /// <summary>
    /// Optional sparse execution state (the kept positions of the weight): when set, enabled and no
    /// <see cref="WeightTransform"/> is set, the forward and backward passes run the sparse kernels.
    /// The weight must be zero outside the pattern (hard masks keep it so); see <see cref="SparseWeight"/>.
    /// </summary>
    public SparseWeight? Sparse { get; set; }

    /// <summary>The weight the forward pass uses: <see cref="WeightTransform"/> applied to <see cref="Weight"/>.</summary>
    public Tensor EffectiveWeight() => WeightTransform?.Apply(Weight) ?? Weight;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        WeightTransform is null ? Ops.Linear(input, Weight, Bias, Sparse) : Ops.Linear(input, EffectiveWeight(), Bias);
}
