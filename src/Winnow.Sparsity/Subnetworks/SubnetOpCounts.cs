using Winnow.Autograd;
using Winnow.NN;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Reports;

namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// Analytic inference operation counts of a found subnetwork per image (ALGORITHMS.md §3.14, with the
/// MACs of §2.11 from one batch-1 forward; element-wise ops, BN, pooling and α scaling are not counted):
/// <code>
/// kept MACs_l  = dense MACs_l · kept_l / n_l        (every weight of a layer is used equally often)
/// binary layer = biprop-masked (weights ±α) and its input is signs (MPT-1/1 after a sign activation)
/// bit-ops      = Σ kept MACs over binary layers     (one XNOR-popcount bit-op per kept MAC)
/// FLOPs        = Σ 2·kept MACs over the other layers (the first layer sees the real image; MPT-1/32
///                and edge-popup are all FLOPs, of the kept weights only)
/// dense FLOPs  = Σ 2·dense MACs                      (the fp32 network of the same shape)
/// OPs          = FLOPs + bit-ops / 64                (Bi-Real Net / XNOR-Net's combined count)
/// </code>
/// Whether a layer's input is binary is read from the network itself: one forward of a seeded random
/// image records each conv/linear op's input, which is binary when every value is in {−1, 0, +1}
/// (sign outputs, max-pooled or zero-padded; 0 = sign(0)). A real image or a ReLU/BN output never is.
/// </summary>
public sealed record SubnetOpCounts(IReadOnlyList<SubnetLayerOps> Layers)
{
    /// <summary>The Bi-Real Net / XNOR-Net factor: 64 bit-ops count as one FLOP (a 64-bit word per XNOR-popcount).</summary>
    public const int BitOpsPerFlop = 64;

    public long DenseFlops => Layers.Sum(l => l.DenseFlops);

    public long Flops => Layers.Sum(l => l.Flops);

    public long BitOps => Layers.Sum(l => l.BitOps);

    /// <summary>FLOPs + bit-ops / 64.</summary>
    public double Ops => Flops + ((double)BitOps / BitOpsPerFlop);

    /// <summary>Dense FLOPs over <see cref="Ops"/> (∞ when nothing is kept).</summary>
    public double Reduction => Ops == 0 ? double.PositiveInfinity : DenseFlops / Ops;

    /// <summary>Counts for <paramref name="subnet"/> on inputs (1, C, S, S), after refreshing its masks.</summary>
    /// <exception cref="ArgumentException">The model cannot take that input.</exception>
    public static SubnetOpCounts Measure(Subnetwork subnet, int inChannels, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        subnet.Refresh();
        return Measure(subnet.Model, subnet.Masks.ToDictionary(m => m.Name, m => m.Kept, StringComparer.Ordinal), subnet.Options.Method == SubnetMethod.Biprop, inChannels, inputSize);
    }

    /// <summary>
    /// Counts for <paramref name="model"/> whose masked layers keep <paramref name="keptByLayer"/>
    /// weights (by weight name), binarised when <paramref name="binaryWeights"/> (biprop). Other
    /// conv/linear layers (dense first/last layers) count their non-zero weights, real.
    /// </summary>
    /// <exception cref="ArgumentException">The model cannot take that input.</exception>
    public static SubnetOpCounts Measure(Module model, IReadOnlyDictionary<string, int> keptByLayer, bool binaryWeights, int inChannels, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(keptByLayer);
        var report = SparsityReport.Measure(model, null, inChannels, inputSize);
        var binaryInputs = BinaryInputLayers(model, inChannels, inputSize);
        return new SubnetOpCounts(report.Layers.Select(l =>
        {
            bool masked = keptByLayer.TryGetValue(l.Name, out int kept);
            kept = masked ? kept : l.Kept;
            long keptMacs = l.Total == 0 ? 0 : (long)((Int128)l.DenseMacs * kept / l.Total);
            return new SubnetLayerOps(l.Name, l.Total, kept, l.DenseMacs, keptMacs, binaryWeights && masked, binaryInputs.Contains(l.Name));
        }).ToArray());
    }

    /// <summary>Names of the conv/linear weights whose op input is all in {−1, 0, +1} on a random image.</summary>
    private static HashSet<string> BinaryInputLayers(Module model, int inChannels, int inputSize)
    {
        model.NameTensors();
        var targets = MaskableSelection.Candidates(model);
        var transforms = targets.Select(t => t.Transform).ToArray();
        var modes = model.NamedModules().Select(kv => (Module: kv.Value, kv.Value.Training)).ToList();
        var binary = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            // Without the transforms each op reads the named weight itself; binary inputs are structural, not value-dependent.
            foreach (var t in targets)
            {
                t.Transform = null;
            }

            model.Eval();
            using var scope = TensorScope.Begin();
            var x = new Tensor(1, inChannels, inputSize, inputSize) { RequiresGrad = true };
            new Rng(0x5EED).FillNormal(x.Data, 0, 1);
            var output = model.Forward(x);
            var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
            var stack = new Stack<Node>();
            if (output.GradFn is { } root)
            {
                stack.Push(root);
            }

            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (!seen.Add(node))
                {
                    continue;
                }

                if (node.OpName is "Linear" or "Conv2d" && node.Inputs[1].Name is { } name && IsBinary(node.Inputs[0].Data))
                {
                    binary.Add(name);
                }

                foreach (var input in node.Inputs)
                {
                    if (input.GradFn is { } next)
                    {
                        stack.Push(next);
                    }
                }
            }
        }
        finally
        {
            for (int i = 0; i < targets.Count; i++)
            {
                targets[i].Transform = transforms[i];
            }

            foreach (var (module, training) in modes)
            {
                module.Train(training);
            }
        }

        return binary;
    }

    private static bool IsBinary(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (v != 0f && v != 1f && v != -1f)
            {
                return false;
            }
        }

        return true;
    }
}
