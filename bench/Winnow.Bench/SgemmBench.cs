using System.Diagnostics;
using System.Globalization;
using Winnow.Kernels;

namespace Winnow.Bench;

/// <summary>
/// SGEMM throughput: square sizes on 1 and 2 threads, every transpose at 1024³, and the shapes a
/// training step is made of (MLP layers and conv im2col products). One JSON object per line.
/// Arguments select groups: <c>square</c>, <c>transpose</c>, <c>nn</c> (default: all three), or one
/// shape: <c>MxNxK [nn|nt|tn|tt] [threads]</c>.
/// </summary>
internal static class SgemmBench
{
    private const double MinSeconds = 0.3;

    public static void Run(string[] args)
    {
        // Ad-hoc shapes: "MxNxK" [nn|nt|tn|tt] [threads], e.g. `sgemm 100x300x784 nt 2`.
        if (args.Length > 0 && args[0].Split('x') is [var ms, var ns, var ks])
        {
            string trans = args.Length > 1 ? args[1] : "nn";
            int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Parallelism.MaxThreads;
            Measure("shape", int.Parse(ms, CultureInfo.InvariantCulture), int.Parse(ns, CultureInfo.InvariantCulture),
                int.Parse(ks, CultureInfo.InvariantCulture), trans[0] == 't', trans[1] == 't', threads);
            return;
        }

        bool all = args.Length == 0;
        bool Want(string group) => all || args.Contains(group, StringComparer.OrdinalIgnoreCase);

        int savedThreads = Parallelism.MaxThreads;
        try
        {
            if (Want("square"))
            {
                foreach (int size in new[] { 256, 512, 1024, 2048 })
                {
                    foreach (int threads in new[] { 1, 2 })
                    {
                        Measure("square", size, size, size, false, false, threads);
                    }
                }
            }

            if (Want("transpose"))
            {
                foreach (bool transA in new[] { false, true })
                {
                    foreach (bool transB in new[] { false, true })
                    {
                        Measure("transpose", 1024, 1024, 1024, transA, transB, 2);
                    }
                }
            }

            if (Want("nn"))
            {
                // MLP 784-300-100-10, batch 100: forward (A·Wᵀ), input grad (G·W), weight grad (Gᵀ·X).
                foreach (bool transA in new[] { false, true })
                {
                    foreach (bool transB in new[] { false, true })
                    {
                        Measure("nn", 100, 300, 784, transA, transB, 2);
                    }
                }

                Measure("nn", 100, 100, 300, false, true, 2);
                Measure("nn", 100, 10, 100, false, true, 2);
                Measure("nn", 784, 300, 100, true, false, 2);
                Measure("nn", 300, 784, 100, true, false, 2);
                // Conv im2col (LeNet-like): weights (Cout, Cin·kh·kw) × columns (Cin·kh·kw, Hout·Wout).
                Measure("nn", 20, 576, 25, false, false, 2);
                Measure("nn", 50, 64, 500, false, false, 2);
                Measure("nn", 64, 1024, 576, false, false, 2);
                Measure("nn", 16, 1024, 144, false, false, 2);
                // Their weight gradients: G (Cout, HW) · colsᵀ.
                Measure("nn", 64, 576, 1024, false, true, 2);
                Measure("nn", 20, 25, 576, false, true, 2);
            }
        }
        finally
        {
            Parallelism.MaxThreads = savedThreads;
        }
    }

    private static void Measure(string group, int m, int n, int k, bool transA, bool transB, int threads)
    {
        var rng = new Rng(42);
        int lda = transA ? m : k, ldb = transB ? k : n;
        float[] a = new float[(long)m * k], b = new float[(long)k * n], c = new float[(long)m * n];
        rng.FillUniform(a, -1f, 1f);
        rng.FillUniform(b, -1f, 1f);
        Parallelism.MaxThreads = threads;
        void Call() => Sgemm.Gemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);

        // Warm up (tiering, packing buffers, worker threads), and size batches to ≥ ~2 ms.
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (warm < 3 || sw.Elapsed.TotalSeconds < 0.1)
        {
            Call();
            warm++;
        }

        double perCall = sw.Elapsed.TotalSeconds / warm;
        int batch = Math.Max(1, (int)(0.002 / perCall));
        double[] times = new double[100_000];
        int count = 0;
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        long calls = 0;
        sw.Restart();
        while ((sw.Elapsed.TotalSeconds < MinSeconds || count < 5) && count < times.Length)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < batch; r++)
            {
                Call();
            }

            times[count++] = Stopwatch.GetElapsedTime(t0).TotalSeconds / batch;
            calls += batch;
        }

        long alloc = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
        Array.Sort(times, 0, count);
        double flops = 2.0 * m * n * k;
        double median = times[count / 2], best = times[0];
        Json.Line(("name", "sgemm"), ("group", group), ("m", m), ("n", n), ("k", k), ("transA", transA), ("transB", transB), ("threads", threads),
            ("gflops", Math.Round(flops / median / 1e9, 1)), ("gflops_best", Math.Round(flops / best / 1e9, 1)),
            ("us_per_call", Math.Round(median * 1e6, 2)), ("alloc_bytes_per_call", Math.Max(0, alloc) / calls));
    }

}
