namespace Winnow.NN.Layers;

/// <summary>
/// 2-D convolution layer, weight (out, in, k, k). PyTorch's default init: Kaiming-uniform(a=√5),
/// i.e. U(±1/√fan_in) with fan_in = in·k·k, and bias U(±1/√fan_in).
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer, initialising from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or padding is negative.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, bool bias = true)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inChannels),
                $"Conv2d(in={inChannels}, out={outChannels}, kernel={kernelSize}, stride={stride}, padding={padding}): channels, kernel and stride must be positive and padding ≥ 0.");
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = RegisterParameter("weight", new Parameter(outChannels, inChannels, kernelSize, kernelSize));
        Init.KaimingUniform(Weight, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", new Parameter(outChannels));
            Init.BiasUniform(Bias, inChannels * kernelSize * kernelSize, rng);
        }
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

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
    public override Tensor Forward(Tensor input) => WeightTransform is null
        ? Ops.Conv2d(input, Weight, Bias, Stride, Stride, Padding, Padding, Sparse)
        : Ops.Conv2d(input, EffectiveWeight(), Bias, Stride, Padding);
}
