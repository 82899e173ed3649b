using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow.Bench;

/// <summary>
/// Where LeNet-5-Caffe's inference time goes, op by op, dense vs sparse (every conv/linear weight
/// masked to a density, default 5%, exact per layer): conv1, max-pool, ReLU, conv2, max-pool, ReLU,
/// flatten, fc3, ReLU, fc4 (the model's order: each ReLU after its pool), and the whole chain, each without autograd on the activations the
/// previous op produced. Microseconds per call, fastest batch of 50 calls (a busy machine preempts
/// short calls; the fastest batch is the undisturbed cost). Prints one JSON line per op and path.
/// Args: threads=N (2), batch=N (100), density=D (0.05).
/// </summary>
internal static class SparseLeNet5ProfileBench
{
    public static void Run(string[] args)
    {
        int threads = BenchCommon.IntArg(args, "threads", 2), n = BenchCommon.IntArg(args, "batch", 100);
        double density = BenchCommon.DoubleArg(args, "density", 0.05);
        BenchCommon.WithThreads(threads, () => Profile(n, density, threads));
    }

    private static void Profile(int n, double density, int threads)
    {
        var rng = new Rng(7);
        var (w1, s1) = Weight(rng, density, 20, 1, 5, 5);
        var (w2, s2) = Weight(rng, density, 50, 20, 5, 5);
        var (w3, s3) = Weight(rng, density, 500, 800);
        var (w4, s4) = Weight(rng, density, 10, 500);
        var b1 = Tensor.Normal(rng, 0f, 0.1f, 20);
        var b2 = Tensor.Normal(rng, 0f, 0.1f, 50);
        var b3 = Tensor.Normal(rng, 0f, 0.1f, 500);
        var b4 = Tensor.Normal(rng, 0f, 0.1f, 10);
        var x = Tensor.Normal(rng, 0f, 1f, n, 1, 28, 28);

        // Inputs of every op, computed once outside any scope so they outlive the timed calls.
        Tensor c1, p1, r1, c2, p2, r2, f, l3, r3;
        using (GradMode.NoGrad())
        {
            c1 = Ops.Conv2d(x, w1, b1);
            p1 = Ops.MaxPool2d(c1, 2);
            r1 = Ops.Relu(p1);
            c2 = Ops.Conv2d(r1, w2, b2);
            p2 = Ops.MaxPool2d(c2, 2);
            r2 = Ops.Relu(p2);
            f = r2.Flatten();
            l3 = Ops.Linear(f, w3, b3);
            r3 = Ops.Relu(l3);
        }

        float[] t2in = new float[n * 20 * 12 * 12], t2out = new float[n * 50 * 8 * 8];

        Tensor Chain(SparseWeight? a, SparseWeight? b, SparseWeight? c, SparseWeight? d)
        {
            var h = Ops.Relu(Ops.MaxPool2d(Ops.Conv2d(x, w1, b1, 1, 1, 0, 0, a), 2));
            h = Ops.Relu(Ops.MaxPool2d(Ops.Conv2d(h, w2, b2, 1, 1, 0, 0, b), 2));
            h = Ops.Relu(Ops.Linear(h.Flatten(), w3, b3, c));
            return Ops.Linear(h, w4, b4, d);
        }

        var ops = new (string Op, string Path, Action Call)[]
        {
            ("conv1", "dense", () => Ops.Conv2d(x, w1, b1)),
            ("conv1", "sparse", () => Ops.Conv2d(x, w1, b1, 1, 1, 0, 0, s1)),
            ("pool1", "both", () => Ops.MaxPool2d(c1, 2)),
            ("relu1", "both", () => Ops.Relu(p1)),
            ("conv2", "dense", () => Ops.Conv2d(r1, w2, b2)),
            ("conv2", "sparse", () => Ops.Conv2d(r1, w2, b2, 1, 1, 0, 0, s2)),
            ("conv2_transpose_in", "sparse", () => SparseKernels.Transpose(n, 20 * 12 * 12, r1.Data, t2in, false)),
            ("conv2_transpose_out", "sparse", () => SparseKernels.Transpose(50 * 8 * 8, n, t2out, c2.Data, false)),
            ("pool2", "both", () => Ops.MaxPool2d(c2, 2)),
            ("relu2", "both", () => Ops.Relu(p2)),
            ("flatten", "both", () => r2.Flatten()),
            ("fc3", "dense", () => Ops.Linear(f, w3, b3)),
            ("fc3", "sparse", () => Ops.Linear(f, w3, b3, s3)),
            ("relu3", "both", () => Ops.Relu(l3)),
            ("fc4", "dense", () => Ops.Linear(r3, w4, b4)),
            ("fc4", "sparse", () => Ops.Linear(r3, w4, b4, s4)),
            ("whole", "dense", () => Chain(null, null, null, null)),
            ("whole", "sparse", () => Chain(s1, s2, s3, s4)),
        };
        foreach (var (op, path, call) in ops)
        {
            Json.Line(("name", "sparse_lenet5_profile"), ("op", op), ("path", path), ("batch", n), ("threads", threads), ("density", density),
                ("us", Us(() =>
                {
                    using var scope = TensorScope.Begin();
                    using var noGrad = GradMode.NoGrad();
                    call();
                })));
        }
    }

    /// <summary>A weight of the given shape with exactly round(density · count) kept entries, zero elsewhere, and its sparse state.</summary>
    private static (Tensor W, SparseWeight S) Weight(Rng rng, double density, params int[] shape)
    {
        var w = Tensor.Normal(rng, 0f, 0.1f, shape);
        int count = w.Data.Length, keep = Math.Max(1, (int)Math.Round(density * count));
        int[] order = Enumerable.Range(0, count).ToArray();
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var mask = new float[count];
        foreach (int i in order.AsSpan(0, keep))
        {
            mask[i] = 1f;
        }

        var data = w.Data;
        for (int i = 0; i < count; i++)
        {
            data[i] *= mask[i];
        }

        return (w, new SparseWeight(new SparsePattern(shape[0], count / shape[0], mask)));
    }

    private static double Us(Action call) => Math.Round(BenchCommon.FastestBatchMs(call, batches: 30, calls: 50) * 1000, 1);
}
