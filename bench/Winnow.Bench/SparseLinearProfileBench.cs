using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow.Bench;

/// <summary>
/// Where one sparse Linear forward's time goes, kernel by kernel, for the LeNet-300-100 layers at a
/// density (default 5%): values gather, input transpose, SpMM, output transpose, bias, ReLU, and the
/// whole <see cref="Ops.Linear(Tensor, Tensor, Tensor?, SparseWeight?)"/> call without autograd.
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

    private static double Us(Action call) => Math.Round(BenchCommon.FastestBatchMs(call, batches: 20, calls: 200) * 1000, 2);
}
