using Winnow.Autograd;
using Winnow.Kernels;
using Winnow.NN.Layers;
using Winnow.NN.Training;

namespace Winnow.Bench;

/// <summary>
/// Where one sparse Linear forward's time goes, kernel by kernel, for the LeNet-300-100 layers at a
/// density (default 5%): values gather, input transpose, SpMM, output transpose, bias, ReLU, and the
/// whole <see cref="Ops.Linear(Tensor, Tensor, Tensor?, SparseWeight?)"/> call without autograd; then
/// the three layers as a stack, layer by layer against the fused chain (<see cref="Stack"/>).
/// Microseconds per call, fastest batch of 200 calls (short calls are preempted often on a shared
/// machine; the fastest batch is the undisturbed cost). Args: threads=N (2), batch=N (100), density=D (0.05).
/// </summary>
internal static class SparseLinearProfileBench
{
    public static void Run(string[] args)
    {
        int threads = BenchCommon.IntArg(args, "threads", 2), n = BenchCommon.IntArg(args, "batch", 100);
        double density = BenchCommon.DoubleArg(args, "density", 0.05);
        BenchCommon.WithThreads(threads, () =>
        {
            foreach (var (inF, outF) in new[] { (784, 300), (300, 100), (100, 10) })
            {
                Layer(inF, outF, n, density, threads);
            }

            Stack(n, density, threads);
        });
    }

    private static void Layer(int inF, int outF, int n, double density, int threads)
    {
        var rng = new Rng(7);
        var mask = new float[outF * inF];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = rng.NextDouble() < density ? 1f : 0f;
        }

        var pattern = new SparsePattern(outF, inF, mask);
        var w = Tensor.Normal(rng, 0f, 0.1f, outF, inF);
        var bias = Tensor.Normal(rng, 0f, 0.1f, outF);
        var x = Tensor.Normal(rng, 0f, 1f, n, inF);
        var xt = new float[inF * n];
        var yt = new float[outF * n];
        var y = new float[n * outF];
        var sparse = new SparseWeight(pattern);
        var fields = new List<(string, object)>
        {
            ("name", "sparse_linear_profile"), ("shape", $"{outF}x{inF}"), ("batch", n), ("threads", threads), ("nnz", pattern.NonZeros),
            ("gather_us", Us(() => pattern.Gather(w.Data))),
            ("transpose_in_us", Us(() => SparseKernels.Transpose(n, inF, x.Data, xt, false))),
            ("spmm_us", Us(() => SparseKernels.SpMM(outF, n, inF, pattern.RowPtr, pattern.ColIdx, pattern.CsrValues, xt, n, yt, n, false))),
            ("transpose_out_us", Us(() => SparseKernels.Transpose(outF, n, yt, y, false))),
            ("bias_us", Us(() => ElementwiseKernels.AddBiasRows(n, outF, bias.Data, y))),
            ("relu_us", Us(() => ElementwiseKernels.ReluForward(y, y))),
            ("op_no_grad_us", Us(() =>
            {
                using var scope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                Ops.Linear(x, w, bias, sparse);
            })),
            ("dense_op_no_grad_us", Us(() =>
            {
                using var scope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                Ops.Linear(x, w, bias);
            })),
        };
        Json.Line([.. fields]);
    }

    /// <summary>
    /// The three LeNet-300-100 layers with their ReLUs at <paramref name="density"/>, fc3 as the execution
    /// policy leaves a 1,000-weight layer (dense alone, sparse inside a chain): layer by layer
    /// (Ops.Linear + Ops.Relu), as the fused feature-major chain (<see cref="LinearChain"/>), and the
    /// chain with the kept values frozen as <c>Evaluator</c> runs it — interleaved round by round,
    /// best round of 12.
    /// </summary>
    private static void Stack(int n, double density, int threads)
    {
        var rng = new Rng(11);
        var layers = new[] { new Linear(784, 300, rng), new Linear(300, 100, rng), new Linear(100, 10, rng) };
        for (int l = 0; l < 3; l++)
        {
            var w = layers[l].Weight;
            var mask = new float[w.Length];
            for (int i = 0; i < mask.Length; i++)
            {
                mask[i] = rng.NextDouble() < density ? 1f : 0f;
                w.Data[i] *= mask[i];
            }

            // fc3 (1,000 weights) as the execution policy leaves it: dense alone, sparse inside a chain
            layers[l].Sparse = new SparseWeight(new SparsePattern(w.Dim(0), w.Dim(1), mask)) { Enabled = l < 2, InChains = true };
        }

        var x = Tensor.Normal(rng, 0f, 1f, n, 784);
        var model = new Sequential(layers[0], new ReLU(), layers[1], new ReLU(), layers[2]);
        var (perLayer, chain, frozen) = (double.MaxValue, double.MaxValue, double.MaxValue);
        for (int round = 0; round < 12; round++)
        {
            perLayer = Math.Min(perLayer, Us(() =>
            {
                using var scope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                var h = Ops.Relu(layers[0].Forward(x));
                h = Ops.Relu(layers[1].Forward(h));
                layers[2].Forward(h);
            }));
            chain = Math.Min(chain, Us(() =>
            {
                using var scope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                model.Forward(x);
            }));
            using (FrozenSparseValues.Freeze(model))
            {
                frozen = Math.Min(frozen, Us(() =>
                {
                    using var scope = TensorScope.Begin();
                    using var noGrad = GradMode.NoGrad();
                    model.Forward(x);
                }));
            }
        }

        Json.Line(("name", "sparse_linear_stack"), ("shape", "784-300-100-10"), ("batch", n), ("threads", threads), ("density", density),
            ("per_layer_us", perLayer), ("chain_us", chain), ("chain_frozen_us", frozen), ("speedup", Math.Round(perLayer / frozen, 2)));
    }

    private static double Us(Action call) => Math.Round(BenchCommon.FastestBatchMs(call, batches: 20, calls: 200) * 1000, 2);
}
