using Winnow.NN;
using Winnow.NN.Layers;

namespace Winnow.Sparsity.Masks;

/// <summary>
/// A maskable weight: the <c>weight</c> of a <see cref="Linear"/> or <see cref="Conv2d"/>, addressed
/// by its dotted parameter name (<c>features.0.weight</c>), with the layer that uses it.
/// </summary>
public sealed record MaskTarget(string Name, Parameter Weight, Module Layer)
{
    /// <summary>Number of weights.</summary>
    public int Count => Weight.Length;

    /// <summary>True for a convolution (weight (out, in, kh, kw)), false for a linear layer (out, in).</summary>
    public bool IsConv => Layer is Conv2d;

    /// <summary>The layer's weight-transform hook (soft and score masks attach here).</summary>
    public IWeightTransform? Transform
    {
        get => Layer switch { Linear l => l.WeightTransform, Conv2d c => c.WeightTransform, _ => null };
        set
        {
            switch (Layer)
            {
                case Linear l:
                    l.WeightTransform = value;
                    break;
                case Conv2d c:
                    c.WeightTransform = value;
                    break;
            }
        }
    }
}
