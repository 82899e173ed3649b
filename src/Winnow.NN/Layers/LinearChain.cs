using Winnow.Autograd;

namespace Winnow.NN.Layers;

/// <summary>
/// Runs a stack of layers in which consecutive <see cref="Linear"/> layers (each optionally followed by
/// a <see cref="ReLU"/>) that execute sparse are fused into one <see cref="Ops.SparseLinearChain"/>
/// when no gradient is recorded — inference and evaluation: the activations stay feature-major between
/// them, so the transposes in and out of every layer and the separate ReLU passes disappear. A layer the
/// execution policy left dense for its size alone (<see cref="SparseWeight.InChains"/>) runs sparse when
/// it continues such a chain. Outputs equal running the layers one by one (bit for bit for the sparse
/// ones; a layer switched from dense to sparse sums in a different order); with gradients recorded (training), a dense or
/// transformed weight, or any other layer in between, the layers run one by one as usual.
/// Used by <see cref="Sequential"/> and by models that hold their Linear layers as fields.
/// </summary>
public static class LinearChain
{
    /// <summary>
    /// y = layers applied in order to <paramref name="x"/>, fusing runs of sparse
    /// <see cref="Linear"/> [+ <see cref="ReLU"/>] layers as described on the type.
    /// </summary>
    public static Tensor Forward(Tensor x, IReadOnlyList<Module> layers)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(layers);
        List<SparseLinearStage>? stages = null;
        int i = 0;
        while (i < layers.Count)
        {
            if (layers[i] is Linear first && Fusable(first, x, starts: true))
            {
                stages ??= [];
                stages.Clear();
                while (i < layers.Count && layers[i] is Linear linear && Fusable(linear, x, starts: stages.Count == 0))
                {
                    bool relu = i + 1 < layers.Count && layers[i + 1] is ReLU;
                    stages.Add(new SparseLinearStage(linear.Weight, linear.Bias, linear.Sparse!, relu));
                    i += relu ? 2 : 1;
                }

                x = Ops.SparseLinearChain(x, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(stages));
                continue;
            }

            x = layers[i].Forward(x);
            i++;
        }

        return x;
    }

    /// <summary>
    /// Whether <paramref name="layer"/> can join a fused chain fed by <paramref name="x"/>: untransformed,
    /// no gradient recorded, and sparse — enabled to start a chain, enabled or
    /// <see cref="SparseWeight.InChains"/> to continue one.
    /// </summary>
    private static bool Fusable(Linear layer, Tensor x, bool starts) =>
        layer.WeightTransform is null && layer.Sparse is { } sparse && (sparse.Enabled || (!starts && sparse.InChains))
        && sparse.Pattern.Rows == layer.OutFeatures && sparse.Pattern.Cols == layer.InFeatures
        && x.Rank == 2 && !Graph.ShouldRecord([x, layer.Weight, layer.Bias]);
}
