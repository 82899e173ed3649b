using Winnow.Autograd;
using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Reports;

/// <summary>
/// Density and analytic cost of a (possibly masked) model for one input shape, per conv/linear
/// weight and in total (ALGORITHMS.md §2.11, §1.15, §5.5, §5.7).
/// <list type="bullet">
/// <item>Densities: over the masked tensors (<see cref="MaskedDensity"/>, the method's own
/// denominator) and over ALL conv+linear weights (<see cref="WeightDensity"/>, comparable across
/// methods); biases and BN are never counted as weights (§0.5).</item>
/// <item>Inference FLOPs per image = 2·MACs, MACs from one batch-1 forward under <see cref="OpCounter"/>
/// (eval mode, no grad; <see cref="ModelStats"/>). Sparse MACs of a layer = dense MACs·kept/total:
/// FLOPs_sparse = FLOPs_dense × weight density (§2.11 with input-activation density 1 — the
/// analytic, data-independent form; element-wise ops, biases and pooling are not counted).</item>
/// <item>Training FLOPs per image (one forward + backward): each layer costs three products of the
/// forward's size — forward y = W·x, input gradient ∂L/∂x = Wᵀ·∂L/∂y, weight gradient
/// ∂L/∂W = ∂L/∂y·xᵀ — except the first layer, whose input gradient is not needed (the image needs no
/// gradient): dense = 2·(3·Σ_l F_l − F_first). Sparse: with a fixed mask all three products of a layer
/// touch only its kept weights, so each scales with the layer's density:
/// sparse = 2·(3·Σ_l d_l·F_l − d_first·F_first). This is the static-mask cost (SNIP, IMP retraining,
/// SET-style updates); methods that need dense gradients on some steps (Sparse Momentum, RigL's growth
/// steps) cost more on those steps (RigL: (3f_S·ΔT + 2f_S + f_D)/(ΔT + 1)).</item>
/// </list>
/// </summary>
public sealed partial record SparsityReport(IReadOnlyList<LayerSparsity> Layers, long Parameters, string? FirstLayer, int InChannels, int InputSize)
{
    /// <summary>Kept entries of the masked tensors.</summary>
    public long MaskedKept => Layers.Where(l => l.Masked).Sum(l => (long)l.Kept);

    /// <summary>Entries of the masked tensors.</summary>
    public long MaskedTotal => Layers.Where(l => l.Masked).Sum(l => (long)l.Total);

    /// <summary>Density over the masked tensors (1 when nothing is masked).</summary>
    public double MaskedDensity => MaskedTotal == 0 ? 1 : (double)MaskedKept / MaskedTotal;

    /// <summary>Kept entries over all conv+linear weights.</summary>
    public long WeightKept => Layers.Sum(l => (long)l.Kept);

    /// <summary>All conv+linear weights.</summary>
    public long WeightTotal => Layers.Sum(l => (long)l.Total);

    /// <summary>Density over all conv+linear weights.</summary>
    public double WeightDensity => WeightTotal == 0 ? 1 : (double)WeightKept / WeightTotal;

    /// <summary>Trainable parameters left after pruning: <see cref="Parameters"/> minus the pruned weights (biases and BN count as kept).</summary>
    public long KeptParameters => Parameters - (WeightTotal - WeightKept);

    /// <summary>Multiply-accumulates per image of the dense model.</summary>
    public long DenseMacs => Layers.Sum(l => l.DenseMacs);

    /// <summary>Multiply-accumulates per image with the pruned weights skipped.</summary>
    public long SparseMacs => Layers.Sum(l => l.SparseMacs);

    /// <summary>Inference FLOPs per image, dense: 2·<see cref="DenseMacs"/>.</summary>
    public long DenseFlops => 2 * DenseMacs;

    /// <summary>Inference FLOPs per image, sparse: 2·<see cref="SparseMacs"/>.</summary>
    public long SparseFlops => 2 * SparseMacs;

    /// <summary>Dense / sparse inference FLOPs (∞ when nothing is kept).</summary>
    public double InferenceSpeedup => SparseFlops == 0 ? double.PositiveInfinity : (double)DenseFlops / SparseFlops;

    /// <summary>FLOPs of one training step per image, dense: 2·(3·Σ F_l − F_first).</summary>
    public long DenseTrainingFlops => 2 * (3 * DenseMacs - (First?.DenseMacs ?? 0));

    /// <summary>FLOPs of one training step per image with a fixed mask: 2·(3·Σ d_l·F_l − d_first·F_first).</summary>
    public long SparseTrainingFlops => 2 * (3 * SparseMacs - (First?.SparseMacs ?? 0));

    /// <summary>Dense / sparse training FLOPs (∞ when nothing is kept).</summary>
    public double TrainingSpeedup => SparseTrainingFlops == 0 ? double.PositiveInfinity : (double)DenseTrainingFlops / SparseTrainingFlops;

    private LayerSparsity? First => FirstLayer is null ? null : Layers.FirstOrDefault(l => l.Name == FirstLayer);

    /// <summary>
    /// Measures <paramref name="model"/> on an input (1, <paramref name="inChannels"/>, <paramref name="inputSize"/>,
    /// <paramref name="inputSize"/>). Every conv/linear weight is listed in registration order; its kept
    /// count is read from its mask when <paramref name="masks"/> masks it, otherwise it is the number of
    /// non-zero entries of the effective weight (after any weight transform, e.g. an edge-popup score
    /// mask). MACs are counted with weight transforms detached (restored afterwards) so each counted op
    /// carries its weight's name; the MACs of a conv/linear do not depend on weight values. The first
    /// layer is the first conv/linear op of the forward. Modes, weights and BN statistics are unchanged
    /// (<see cref="ModelStats.Measure"/>); tensors are named after their dotted paths.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="masks"/> belongs to another model, or the model
    /// cannot take that input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public static SparsityReport Measure(Module model, MaskSet? masks, int inChannels, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (masks is not null && !ReferenceEquals(masks.Model, model))
        {
            throw new ArgumentException("The masks belong to another model instance; measure the model the MaskSet was created for.", nameof(masks));
        }

        var targets = MaskableSelection.Candidates(model);
        var kept = targets.Select(t => masks is not null && masks.Contains(t.Name) ? masks.KeptIn(t.Name) : NonZeroEffective(t)).ToArray();
        var transforms = targets.Select(t => t.Transform).ToArray();
        ModelStats stats;
        try
        {
            foreach (var t in targets)
            {
                t.Transform = null;
            }

            stats = ModelStats.Measure(model, inChannels, inputSize);
        }
        finally
        {
            for (int i = 0; i < targets.Count; i++)
            {
                targets[i].Transform = transforms[i];
            }
        }

        var names = targets.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var macs = stats.Layers.Where(l => names.Contains(l.Weight)).GroupBy(l => l.Weight).ToDictionary(g => g.Key, g => g.Sum(l => l.Macs), StringComparer.Ordinal);
        var layers = targets.Select((t, i) =>
        {
            long dense = macs.GetValueOrDefault(t.Name);
            long sparse = t.Count == 0 ? 0 : (long)((Int128)dense * kept[i] / t.Count);
            bool masked = masks?.Contains(t.Name) ?? false;
            return new LayerSparsity(t.Name, t.IsConv ? "conv" : "linear", t.Weight.Shape.ToArray(), kept[i], t.Count, dense, sparse, masked);
        }).ToArray();
        string? first = stats.Layers.Select(l => l.Weight).FirstOrDefault(names.Contains);
        return new SparsityReport(layers, stats.Parameters, first, inChannels, inputSize);
    }

    private static int NonZeroEffective(MaskTarget target)
    {
        using var noGrad = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var w = target.Layer switch
        {
            Linear l => l.EffectiveWeight(),
            Conv2d c => c.EffectiveWeight(),
            _ => target.Weight,
        };
        return w.Length - CountZeros(w.Data);
    }

    private static int CountZeros(ReadOnlySpan<float> values)
    {
        int zeros = 0;
        foreach (float v in values)
        {
            zeros += v == 0f ? 1 : 0;
        }

        return zeros;
    }
}
