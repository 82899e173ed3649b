using System.Diagnostics;
using Winnow.Kernels;
using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Execution;

/// <summary>
/// Times every masked Linear/Conv2d layer of a model alone, dense vs sparse, on random inputs of the
/// shape the layer sees in the model (read from one counted batch-1 forward, <see cref="ModelStats"/>),
/// for <c>winnow bench-model</c> and the benchmarks. Each figure is the best of
/// `repeats` runs, since other work on the machine only ever adds time.
/// </summary>
public static class LayerSpeedBenchmark
{
    /// <summary>Measures the layers of <paramref name="masks"/> (weights already masked) at <paramref name="batch"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size or the repeat count is not positive.</exception>
    public static IReadOnlyList<LayerSpeed> Measure(MaskSet masks, int inChannels, int inputSize, int batch, int repeats = 5, SparseExecutionPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        policy ??= new SparseExecutionPolicy();
        var stats = ModelStats.Measure(masks.Model, inChannels, inputSize);
        var macs = stats.Layers.GroupBy(l => l.Weight).ToDictionary(g => g.Key, g => g.First().Macs);
        var rng = new Rng(7);
        var results = new List<LayerSpeed>();
        foreach (var t in masks.Targets)
        {
            var pattern = new SparsePattern(t.Weight.Dim(0), t.Weight.Length / t.Weight.Dim(0), masks[t.Name].Data);
            var w = new Parameter(t.Weight.Shape.ToArray());
            t.Weight.Data.CopyTo(w.Data);
            Func<SparseWeight?, Tensor, Tensor> op;
            int[] inShape;
            string shape;
            bool geometryOk = true;
            if (t.Layer is Linear lin)
            {
                inShape = [batch, lin.InFeatures];
                shape = $"{lin.OutFeatures}x{lin.InFeatures}";
                op = (s, x) => Ops.Linear(x, w, null, s);
            }
            else if (t.Layer is Conv2d conv && macs.TryGetValue(t.Name, out long m) && InputSide(conv, m) is int side)
            {
                inShape = [batch, conv.InChannels, side, side];
                shape = $"{conv.OutChannels}x{conv.InChannels}x{conv.KernelSize}x{conv.KernelSize} @{side}x{side}";
                op = (s, x) => Ops.Conv2d(x, w, null, conv.Stride, conv.Stride, conv.Padding, conv.Padding, s);
                geometryOk = Conv2dKernels.SparseIsFast(new Conv2dGeometry(batch, conv.InChannels, side, side, conv.OutChannels, conv.KernelSize, conv.KernelSize, conv.Stride, conv.Stride, conv.Padding, conv.Padding));
            }
            else
            {
                continue;
            }

            var x = Tensor.Normal(rng, 0f, 1f, inShape).RequireGrad();
            var (df, db) = Time(op, null, x, w, repeats);
            var (sf, sb) = Time(op, new SparseWeight(pattern), x, w, repeats);
            var (_, eb) = Time(op, new SparseWeight(pattern) { DenseWeightGradient = true }, x, w, repeats);
            results.Add(new LayerSpeed(t.Name, t.IsConv ? "Conv2d" : "Linear", shape, pattern.Density, df, db, sf, sb, eb,
                geometryOk && policy.UseSparse(SparseKernelMode.Auto, t.Count, pattern.Density, t.IsConv)));
        }

        return results;
    }

    /// <summary>The input side H = W that gives the counted output size (square maps; strided layers take H = OH·stride).</summary>
    private static int? InputSide(Conv2d conv, long macs)
    {
        long perPixel = (long)conv.OutChannels * conv.InChannels * conv.KernelSize * conv.KernelSize;
        int oh = (int)Math.Round(Math.Sqrt(macs / (double)perPixel));
        int side = conv.Stride == 1 ? oh + conv.KernelSize - 1 - 2 * conv.Padding : oh * conv.Stride;
        return side > 0 && (side + 2 * conv.Padding - conv.KernelSize) / conv.Stride + 1 == oh ? side : null;
    }

    private static (double Forward, double Backward) Time(Func<SparseWeight?, Tensor, Tensor> op, SparseWeight? sparse, Tensor x, Parameter w, int repeats)
    {
        double bestF = double.MaxValue, bestB = double.MaxValue;
        Tensor? seed = null;
        for (int r = 0; r < repeats + 1; r++)
        {
            using var scope = TensorScope.Begin();
            x.ZeroGrad();
            w.ZeroGrad();
            long t0 = Stopwatch.GetTimestamp();
            var y = op(sparse, x);
            long t1 = Stopwatch.GetTimestamp();
            seed ??= Tensor.Normal(new Rng(3), 0f, 1f, y.Shape.ToArray()).Clone();
            y.Backward(seed);
            long t2 = Stopwatch.GetTimestamp();
            if (r > 0)
            {
                // The first run warms up JIT and buffers.
                bestF = Math.Min(bestF, Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                bestB = Math.Min(bestB, Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            }
        }

        return (bestF, bestB);
    }
}
