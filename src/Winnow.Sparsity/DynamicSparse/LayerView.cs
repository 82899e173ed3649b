using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// One masked tensor as the drop, growth and redistribution strategies see it during a mask update:
/// the live weights, a working copy of the mask (1 = active), the optimiser's momentum score
/// (SGD buffer v, or m/(√v + 1e-8) for Adam; null when the optimiser keeps none yet) and the dense
/// gradient of the last mini-batch (null before the first backward).
/// </summary>
public sealed class LayerView
{
    internal LayerView(MaskTarget target, float[] mask, float[]? momentum, float[]? gradient, double baselineNonzero)
    {
        Target = target;
        Mask = mask;
        Momentum = momentum;
        Gradient = gradient;
        BaselineNonzero = baselineNonzero;
        Nonzeros = mask.Count(v => v != 0f);
    }

    /// <summary>The masked weight.</summary>
    public MaskTarget Target { get; }

    /// <summary>Working mask (1 = active); strategies edit it in place.</summary>
    public float[] Mask { get; }

    /// <summary>Momentum score per element, or null.</summary>
    public float[]? Momentum { get; }

    /// <summary>Dense gradient per element, or null.</summary>
    public float[]? Gradient { get; }

    /// <summary>Target active count over all layers, Σ_l n_l·d (sparse_learning's <c>baseline_nonzero</c>).</summary>
    public double BaselineNonzero { get; }

    /// <summary>Active entries at the start of the update (nnz_l).</summary>
    public int Nonzeros { get; }

    /// <summary>Inactive entries at the start of the update (zeros_l).</summary>
    public int Zeros => Mask.Length - Nonzeros;

    /// <summary>Number of entries.</summary>
    public int Count => Mask.Length;
}
