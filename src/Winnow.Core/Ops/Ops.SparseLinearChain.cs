using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow;

public static partial class Ops
{
    /// <summary>
    /// Inference through a stack of sparse Linear layers, each optionally followed by a ReLU, with the
    /// activations kept feature-major (in, N) between the layers: x is transposed once, every layer
    /// computes act(W_csr·Xᵀ + b) straight into the next layer's input
    /// (<see cref="SparseKernels.LinearForwardFeatureMajor"/>), and the last output is transposed back
    /// to (N, out). The per-layer path (<see cref="Linear(Tensor, Tensor, Tensor?, SparseWeight?)"/> then
    /// <see cref="Relu"/>) transposes in and out of every layer and makes a separate ReLU pass; this
    /// gives bit-identical outputs without them. Layers whose values are frozen
    /// (<see cref="SparseWeight.FreezeValues"/>) skip the gather from the dense weight; when every layer
    /// is frozen and two threads are available the batch is split into one panel per thread, each run
    /// through the whole chain (same bits). No autograd: it refuses inputs that would need a gradient.
    /// </summary>
    /// <remarks>Every stage runs sparse whatever its <see cref="SparseWeight.Enabled"/> flag: choosing the layers is the caller's job (<c>LinearChain</c> in Winnow.NN).</remarks>
    /// <exception cref="ArgumentException">No stages; shapes do not chain; a pattern does not fit its weight.</exception>
    /// <exception cref="InvalidOperationException">Gradients are being recorded for the input or a weight or bias.</exception>
    public static Tensor SparseLinearChain(Tensor x, ReadOnlySpan<SparseLinearStage> stages)
    {
        RequireRank("Ops.SparseLinearChain", "input", x, 2);
        if (stages.IsEmpty)
        {
            throw new ArgumentException("Ops.SparseLinearChain: no stages; pass at least one sparse Linear layer.", nameof(stages));
        }

        int n = x.Dim(0), inF = x.Dim(1);
        bool record = Graph.ShouldRecord(x);
        for (int i = 0; i < stages.Length; i++)
        {
            var (w, bias, sparse, _) = stages[i];
            ArgumentNullException.ThrowIfNull(w);
            ArgumentNullException.ThrowIfNull(sparse);
            RequireRank("Ops.SparseLinearChain", $"weight of stage {i}", w, 2);
            string name = w.Name is null ? $"stage {i}" : $"stage {i} ({w.Name})";
            if (w.Dim(1) != inF)
            {
                throw new ArgumentException($"Ops.SparseLinearChain: {name} has weight shape {Tensor.ShapeString(w.Shape)} but receives {inF} features; expected (out, {inF}).");
            }

            if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != w.Dim(0)))
            {
                throw new ArgumentException($"Ops.SparseLinearChain: {name} has bias shape {Tensor.ShapeString(bias.Shape)}; expected [{w.Dim(0)}].");
            }

            if (sparse.Pattern.Rows != w.Dim(0) || sparse.Pattern.Cols != inF)
            {
                throw new ArgumentException($"Ops.SparseLinearChain: the sparse pattern of {name} is ({sparse.Pattern.Rows}, {sparse.Pattern.Cols}); expected the weight's shape {Tensor.ShapeString(w.Shape)}. Rebuild the sparse weight after changing the layer.");
            }

            record |= Graph.ShouldRecord(w) || (bias is not null && Graph.ShouldRecord(bias));
            inF = w.Dim(0);
        }

        if (record)
        {
            throw new InvalidOperationException("Ops.SparseLinearChain is inference only and records no gradient, but the input or a weight requires one. Call it inside GradMode.NoGrad(), or use Ops.Linear and Ops.Relu per layer when training.");
        }

        return RunChain(x, stages, BatchPanels(stages, n), inF);
    }

    /// <summary>
    /// How many batch panels to run the chain in (<see cref="RunChain"/>), one per thread, or 1 to split
    /// each stage over its output rows instead. Several panels need every stage's values frozen (no gather
    /// racing between panels), two threads, and at least 16 samples per panel.
    /// </summary>
    private static int BatchPanels(ReadOnlySpan<SparseLinearStage> stages, int n)
    {
        long work = 0;
        foreach (var stage in stages)
        {
            if (!stage.Sparse.ValuesFrozen)
            {
                return 1;
            }

            work += (long)stage.Sparse.Pattern.NonZeros * n;
        }

        return work < 1 << 16 ? 1 : Math.Max(1, Math.Min(Parallelism.MaxThreads, n / 16));
    }

    /// <summary>
    /// Runs the chain over <paramref name="panels"/> column panels of the batch (boundaries on multiples of
    /// 8), each start to end on one thread: transpose its rows of x, every stage on its panel of the
    /// activations, transpose back into its rows of y. With several panels a core works on its own panel
    /// in its own cache from the first layer to the last, with one hand-off for the whole chain instead of
    /// one per layer; with one panel the kernels split each stage over its output rows (and gather values
    /// that are not frozen). Every output is the same sum in the same order whatever the split, so the bits
    /// do not depend on it.
    /// </summary>
    private static Tensor RunChain(Tensor x, ReadOnlySpan<SparseLinearStage> stages, int panels, int outF)
    {
        int n = x.Dim(0), inF = x.Dim(1);
        var layers = stages.ToArray();
        var buffers = new Tensor[layers.Length + 1];
        buffers[0] = Tensor.Empty(inF * n);
        for (int s = 0; s < layers.Length; s++)
        {
            buffers[s + 1] = Tensor.Empty(layers[s].Weight.Dim(0) * n);
            OpCounter.Add("Linear", layers[s].Weight, (long)n * layers[s].Weight.Dim(0) * layers[s].Weight.Dim(1)); // dense MACs, as Ops.Linear counts them
        }

        var y = Tensor.Empty(n, outF);
        Parallelism.For(panels, p =>
        {
            int c0 = Boundary(p), c1 = Boundary(p + 1), w = c1 - c0;
            SparseKernels.Transpose(w, inF, x.Data.Slice(c0 * inF, w * inF), buffers[0].Data.Slice(c0 * inF, w * inF), false);
            int rows = inF;
            for (int s = 0; s < layers.Length; s++)
            {
                var (weight, bias, sparse, relu) = layers[s];
                int m = weight.Dim(0);
                var pattern = sparse.Pattern;
                SparseKernels.LinearForwardFeatureMajor(m, w, rows, pattern.RowPtr, pattern.ColIdx, sparse.ValuesFrozen ? default : weight.Data,
                    pattern.CsrValuesBuffer, buffers[s].Data.Slice(c0 * rows, w * rows), bias is null ? default : bias.Data, relu,
                    buffers[s + 1].Data.Slice(c0 * m, w * m));
                rows = m;
            }

            SparseKernels.Transpose(rows, w, buffers[^1].Data.Slice(c0 * rows, w * rows), y.Data.Slice(c0 * rows, w * rows), false);
        });
        return y;

        int Boundary(int p) => p == panels ? n : (p * n / panels + 4) & ~7;
    }
}
