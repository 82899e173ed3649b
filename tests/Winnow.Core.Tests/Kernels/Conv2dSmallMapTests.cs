using Winnow.Testing;

namespace Winnow.Core.Tests.Kernels;

/// <summary>
/// Deep layers on tiny maps (Conv-8 and VGG tails: 4×4, 3×3, 2×2, 1×1 with padding 1) next to
/// larger layers. Every thread keeps one im2col pass object whose narrow-map offset table (maps
/// narrower than 8) outlives the pass; a later pass on another geometry must not inherit it.
/// Regression: the dy gather that starts <c>BackwardInput</c> sliced the table left by a narrow map
/// with its own, larger size and threw <see cref="ArgumentOutOfRangeException"/> — on every call
/// after a narrow layer on the GEMM-parallel plan, and on the sample-parallel plan whenever a thread
/// claimed a chunk after running a narrow layer (so it looked intermittent).
/// </summary>
[Collection("Parallelism")]
public sealed class Conv2dSmallMapTests
{
    /// <summary>A VGG-like stack: wide maps first, then 4×4, 2×2 and 1×1 (table) maps.</summary>
    private static readonly Conv2dGeometry[] s_stack =
    [
        new(2, 3, 16, 16, 16, 3, 3, 1, 1, 1, 1),
        new(2, 16, 16, 16, 32, 3, 3, 1, 1, 1, 1),
        new(2, 32, 8, 8, 64, 3, 3, 1, 1, 1, 1),
        new(2, 64, 4, 4, 64, 3, 3, 1, 1, 1, 1),
        new(2, 64, 2, 2, 64, 3, 3, 1, 1, 1, 1),
        new(2, 64, 1, 1, 64, 3, 3, 1, 1, 1, 1),
    ];

    [Theory]
    [InlineData(2, 256, 3, 512)]
    [InlineData(2, 512, 3, 512)]
    [InlineData(2, 512, 1, 512)]
    [InlineData(2, 512, 2, 512)]
    [InlineData(3, 64, 2, 128)]
    public void BackwardInputOnTinyMapsMatchesNaive(int n, int c, int hw, int o)
    {
        // A large layer first, so per-thread workspaces hold another geometry's state.
        Run(new Conv2dGeometry(2, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1));
        Run(new Conv2dGeometry(n, c, hw, hw, o, 3, 3, 1, 1, 1, 1));
    }

    [Fact]
    public void Conv8LayerSequenceMatchesNaive()
    {
        int[][] layers = [[3, 32, 64], [64, 32, 64], [64, 16, 128], [128, 16, 128], [128, 8, 256], [256, 8, 256], [256, 4, 512], [512, 4, 512]];
        foreach (var l in layers)
        {
            Run(new Conv2dGeometry(2, l[0], l[1], l[1], l[2], 3, 3, 1, 1, 1, 1));
        }

        foreach (var l in layers.Reverse())
        {
            Run(new Conv2dGeometry(2, l[0], l[1], l[1], l[2], 3, 3, 1, 1, 1, 1));
        }
    }

    /// <summary>
    /// The order of a backward pass: a narrow layer's gradients, then straight into the wider
    /// layer before it with no forward pass in between, so the calling thread's first pass on the
    /// wide geometry is the dy gather. Deterministic: both layers on the GEMM-parallel plan run every
    /// pass through the calling thread's pass object, for any thread count.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void BackwardInputRightAfterANarrowLayerMatchesNaive(int threads)
    {
        WithSettings(threads, sampleParallelMaxWeights: 0, () =>
        {
            var narrow = new Conv2dGeometry(2, 8, 2, 2, 8, 3, 3, 1, 1, 1, 1);
            var wide = new Conv2dGeometry(2, 8, 16, 16, 8, 3, 3, 1, 1, 1, 1);
            var rng = new Rng(7);
            float[] dyNarrow = KernelTestData.Uniform(rng, narrow.OutputLength), wNarrow = KernelTestData.Uniform(rng, narrow.WeightLength);
            Conv2dKernels.BackwardInput(narrow, dyNarrow, wNarrow, new float[narrow.InputLength], false);

            float[] dy = KernelTestData.Uniform(rng, wide.OutputLength), w = KernelTestData.Uniform(rng, wide.WeightLength);
            float[] dx = new float[wide.InputLength], dxRef = new float[wide.InputLength];
            Conv2dKernels.BackwardInput(wide, dy, w, dx, false);
            Conv2dKernels.BackwardInputNaive(wide, dy, w, dxRef, false);
            TensorAssert.Close(dxRef, dx, 1e-4f, 1e-4f, "dx");
        });
    }

    /// <summary>
    /// Stress: training steps (forward through the stack, then each layer's input and weight
    /// gradients in reverse order) on every plan mix, repeated, on 1 and 2 threads. Which thread's
    /// pass object sees which geometry changes from step to step on the sample-parallel plan, so
    /// stale per-thread state shows up within a few steps. Results must match the naive kernels and
    /// be bit-identical across steps and thread counts.
    /// </summary>
    [Theory]
    [InlineData(0)]           // every layer GEMM-parallel
    [InlineData(5000)]        // wide layers sample-parallel, narrow ones GEMM-parallel
    [InlineData(int.MaxValue)] // every layer sample-parallel
    public void AlternatingGeometriesAreThreadCountIndependent(int sampleParallelMaxWeights)
    {
        const int Steps = 12;
        var rng = new Rng(17);
        var data = s_stack.Select(g => (X: KernelTestData.Uniform(rng, g.InputLength), W: KernelTestData.Uniform(rng, g.WeightLength), B: KernelTestData.Uniform(rng, g.O), Dy: KernelTestData.Uniform(rng, g.OutputLength))).ToArray();

        float[][] Step()
        {
            var outputs = new List<float[]>();
            for (int l = 0; l < s_stack.Length; l++)
            {
                float[] y = new float[s_stack[l].OutputLength];
                Conv2dKernels.Forward(s_stack[l], data[l].X, data[l].W, data[l].B, y);
                outputs.Add(y);
            }

            for (int l = s_stack.Length - 1; l >= 0; l--)
            {
                var g = s_stack[l];
                float[] dx = new float[g.InputLength], dw = new float[g.WeightLength], db = new float[g.O];
                Conv2dKernels.BackwardInput(g, data[l].Dy, data[l].W, dx, false);
                Conv2dKernels.BackwardWeight(g, data[l].Dy, data[l].X, dw, db, false);
                outputs.AddRange([dx, dw, db]);
            }

            return [.. outputs];
        }

        float[][]? reference = null;
        foreach (int threads in new[] { 1, 2 })
        {
            WithSettings(threads, sampleParallelMaxWeights, () =>
            {
                for (int step = 0; step < Steps; step++)
                {
                    float[][] outputs = Step();
                    if (reference is null)
                    {
                        reference = outputs;
                        AssertMatchesNaive(outputs, data);
                        continue;
                    }

                    for (int i = 0; i < outputs.Length; i++)
                    {
                        TensorAssert.BitIdentical(reference[i], outputs[i], $"output {i}, {threads} threads, step {step}");
                    }
                }
            });
        }
    }

    private static void AssertMatchesNaive(float[][] outputs, (float[] X, float[] W, float[] B, float[] Dy)[] data)
    {
        int k = 0;
        for (int l = 0; l < s_stack.Length; l++)
        {
            float[] y = new float[s_stack[l].OutputLength];
            Conv2dKernels.ForwardNaive(s_stack[l], data[l].X, data[l].W, data[l].B, y);
            TensorAssert.Close(y, outputs[k++], 1e-3f, 1e-3f, $"y of layer {l}");
        }

        for (int l = s_stack.Length - 1; l >= 0; l--)
        {
            var g = s_stack[l];
            float[] dx = new float[g.InputLength], dw = new float[g.WeightLength], db = new float[g.O];
            Conv2dKernels.BackwardInputNaive(g, data[l].Dy, data[l].W, dx, false);
            Conv2dKernels.BackwardWeightNaive(g, data[l].Dy, data[l].X, dw, db, false);
            TensorAssert.Close(dx, outputs[k++], 1e-3f, 1e-3f, $"dx of layer {l}");
            TensorAssert.Close(dw, outputs[k++], 1e-3f, 1e-3f, $"dw of layer {l}");
            TensorAssert.Close(db, outputs[k++], 1e-3f, 1e-3f, $"db of layer {l}");
        }
    }

    private static void Run(Conv2dGeometry g)
    {
        var rng = new Rng(3);
        var x = new float[g.N * g.C * g.H * g.W];
        var w = new float[g.O * g.C * g.KH * g.KW];
        var dy = new float[g.N * g.O * g.OH * g.OW];
        rng.FillUniform(x, -1, 1);
        rng.FillUniform(w, -1, 1);
        rng.FillUniform(dy, -1, 1);
        var y = new float[dy.Length];
        var yRef = new float[dy.Length];
        Conv2dKernels.Forward(g, x, w, default, y);
        Conv2dKernels.ForwardNaive(g, x, w, default, yRef);
        TensorAssert.Close(yRef, y, 1e-3f, 1e-3f, "y");
        var dx = new float[x.Length];
        var dxRef = new float[x.Length];
        Conv2dKernels.BackwardInput(g, dy, w, dx, false);
        Conv2dKernels.BackwardInputNaive(g, dy, w, dxRef, false);
        TensorAssert.Close(dxRef, dx, 1e-3f, 1e-3f, "dx");
        var dw = new float[w.Length];
        var dwRef = new float[w.Length];
        Conv2dKernels.BackwardWeight(g, dy, x, dw, default, false);
        Conv2dKernels.BackwardWeightNaive(g, dy, x, dwRef, default, false);
        TensorAssert.Close(dwRef, dw, 1e-3f, 1e-3f, "dw");
    }

    private static void WithSettings(int threads, int sampleParallelMaxWeights, Action body)
    {
        (int savedThreads, int savedWeights) = (Parallelism.MaxThreads, Conv2dKernels.SampleParallelMaxWeights);
        try
        {
            Parallelism.MaxThreads = threads;
            Conv2dKernels.SampleParallelMaxWeights = sampleParallelMaxWeights;
            body();
        }
        finally
        {
            (Parallelism.MaxThreads, Conv2dKernels.SampleParallelMaxWeights) = (savedThreads, savedWeights);
        }
    }

}
