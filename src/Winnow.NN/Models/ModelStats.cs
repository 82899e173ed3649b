using Winnow.Autograd;
using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// Size and analytic cost of a model for one input shape.
/// <list type="bullet">
/// <item><see cref="Parameters"/>: every trainable scalar (weights, biases, BN γ/β; no buffers).</item>
/// <item><see cref="Weights"/>: conv and linear weights only (no biases, no BN) — the usual
/// denominator of "density" (ALGORITHMS.md §0.5).</item>
/// <item><see cref="Macs"/>: multiply-accumulates of the conv/linear ops of one image, counted by
/// <see cref="OpCounter"/> during one batch-1 forward in evaluation mode under
/// <see cref="GradMode.NoGrad"/>. <see cref="Flops"/> = 2·MACs (one multiply + one add), the
/// convention of ALGORITHMS.md §2.11: FLOPs = 2·(out_h·out_w)·out_c·in_c·kh·kw per conv. Element-wise
/// ops (BN, ReLU, pooling, additions, biases) are not counted.</item>
/// </list>
/// </summary>
public sealed record ModelStats(int InChannels, int InputSize, long Parameters, long Weights, long Macs, IReadOnlyList<LayerCost> Layers)
{
    /// <summary>FLOPs per image = 2·<see cref="Macs"/>.</summary>
    public long Flops => 2 * Macs;

    /// <summary>
    /// Counts the parameters of <paramref name="model"/> and runs one forward on a zero input of shape
    /// (1, inChannels, inputSize, inputSize) to count MACs per layer. The model is put in evaluation
    /// mode for the forward and its per-module training flags are restored afterwards; its tensors
    /// are named after their dotted paths (<see cref="Module.NameTensors"/>) so the layer list can
    /// name them. No parameter, gradient or BN statistic changes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="ArgumentException">The model cannot take that input (from its forward).</exception>
    public static ModelStats Measure(Module model, int inChannels, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);

        long weights = 0;
        foreach (var (_, module) in model.NamedModules())
        {
            weights += module switch
            {
                Conv2d conv => conv.Weight.Length,
                Linear linear => linear.Weight.Length,
                _ => 0,
            };
        }

        model.NameTensors();
        var modes = model.NamedModules().Select(kv => (Module: kv.Value, kv.Value.Training)).ToList();
        var layers = new List<LayerCost>();
        long macs;
        try
        {
            model.Eval();
            using var noGrad = GradMode.NoGrad();
            using var scope = TensorScope.Begin();
            using var counter = OpCounter.Begin();
            model.Forward(Tensor.Zeros(1, inChannels, inputSize, inputSize));
            macs = counter.Macs;
            for (int i = 0; i < counter.Entries.Count; i++)
            {
                var (op, weight, m) = counter.Entries[i];
                layers.Add(new LayerCost(weight ?? $"{op}#{i}", op, m));
            }
        }
        finally
        {
            // Pre-order: a parent's Train() resets its subtree, then each child restores its own flag.
            foreach (var (module, training) in modes)
            {
                module.Train(training);
            }
        }

        return new ModelStats(inChannels, inputSize, model.ParameterCount(), weights, macs, layers);
    }
}
