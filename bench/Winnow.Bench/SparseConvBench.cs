using System.Diagnostics;
using System.Globalization;
using Winnow.Kernels;

namespace Winnow.Bench;

/// <summary>
/// Per-phase times of one sparse conv layer at batch 100: dense forward / input gradient / weight
/// gradient, the sparse path <c>Ops.Conv2d</c> takes for the geometry (<see cref="Conv2dKernels.SparseForward"/>,
/// <see cref="Conv2dKernels.SparseBackward"/>), and the batch-innermost path forced
/// (<see cref="Conv2dKernels.SparseForwardBatched"/>), on LeNet-5-Caffe, VGG-16 (CIFAR) and WRN-16-8
/// (CIFAR, strided) shapes. Used to calibrate <see cref="Conv2dKernels.SparseIsFast"/>.
/// Arguments: layer-name prefixes (default all), <c>density=D</c> (0.05), <c>rounds=R</c> (5),
/// <c>threads=T</c> (2). Prints best-of-rounds milliseconds and the spread (max/min − 1).
/// </summary>
internal static class SparseConvBench
{
    private static readonly (string Name, Conv2dGeometry G)[] s_layers =
    [
        ("lenet5.conv1", new Conv2dGeometry(100, 1, 28, 28, 20, 5, 5, 1, 1, 0, 0)),
        ("lenet5.conv2", new Conv2dGeometry(100, 20, 12, 12, 50, 5, 5, 1, 1, 0, 0)),
        ("vgg16.128@16", new Conv2dGeometry(100, 128, 16, 16, 128, 3, 3, 1, 1, 1, 1)),
        ("vgg16.256@8", new Conv2dGeometry(100, 256, 8, 8, 256, 3, 3, 1, 1, 1, 1)),
        ("vgg16.512@4", new Conv2dGeometry(100, 512, 4, 4, 512, 3, 3, 1, 1, 1, 1)),
        ("vgg16.512@2", new Conv2dGeometry(100, 512, 2, 2, 512, 3, 3, 1, 1, 1, 1)),
        ("wrn.256@16s2", new Conv2dGeometry(100, 256, 16, 16, 512, 3, 3, 2, 2, 1, 1)),
        ("wrn.128@32s2.1x1", new Conv2dGeometry(100, 128, 32, 32, 256, 1, 1, 2, 2, 0, 0)),
    ];

    public static void Run(string[] args)
    {
        double density = 0.05;
        int rounds = 5, threads = 2;
        var groups = new List<string>();
        foreach (string a in args)
        {
            if (a.StartsWith("density=", StringComparison.Ordinal))
            {
                density = double.Parse(a[8..], CultureInfo.InvariantCulture);
            }
            else if (a.StartsWith("rounds=", StringComparison.Ordinal))
            {
                rounds = int.Parse(a[7..], CultureInfo.InvariantCulture);
            }
            else if (a.StartsWith("threads=", StringComparison.Ordinal))
            {
                threads = int.Parse(a[8..], CultureInfo.InvariantCulture);
            }
            else
            {
                groups.Add(a);
            }
        }

        int saved = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            Console.WriteLine(FormattableString.Invariant($"sparse conv phases, {threads} threads, density {density}, best of {rounds} (spread), ms"));
            foreach (var (name, g) in s_layers)
            {
                if (groups.Count == 0 || groups.Exists(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                {
                    Measure(name, g, density, rounds);
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private static void Measure(string name, Conv2dGeometry g, double density, int rounds)
    {
        var rng = new Rng(11);
        float[] x = new float[g.InputLength], dy = new float[g.OutputLength], w = new float[g.WeightLength], m = new float[g.WeightLength];
        rng.FillUniform(x, -1f, 1f);
        rng.FillUniform(dy, -1f, 1f);
        rng.FillUniform(w, -1f, 1f);
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = rng.NextDouble() < density ? 1f : 0f;
            w[i] *= m[i];
        }

        var s = new SparsePattern(g.O, g.PatchLength, m);
        s.Gather(w);
        float[] y = new float[g.OutputLength], dx = new float[g.InputLength], dw = new float[g.WeightLength];
        string row = string.Join(" | ",
            $"dense fwd {Time(() => Conv2dKernels.Forward(g, x, w, default, y), rounds)}",
            $"dx {Time(() => Conv2dKernels.BackwardInput(g, dy, w, dx, false), rounds)}",
            $"dw {Time(() => Conv2dKernels.BackwardWeight(g, dy, x, dw, default, false), rounds)}",
            $"sparse ({(Conv2dKernels.SparseIsFast(g) ? "used" : "not used: dense")}) fwd {Time(() => Conv2dKernels.SparseForward(g, x, s, default, y), rounds)}",
            $"dx {Time(() => Conv2dKernels.SparseBackward(g, dy, x, s, dx, false, default, false), rounds)}",
            $"dw {Time(() => Conv2dKernels.SparseBackward(g, dy, x, s, default, false, dw, false), rounds)}",
            $"batched fwd {Time(() => Conv2dKernels.SparseForwardBatched(g, x, s, default, y), rounds)}",
            $"dx {Time(() => Conv2dKernels.SparseBackwardBatched(g, dy, x, s, dx, false, default, false), rounds)}",
            $"dw {Time(() => Conv2dKernels.SparseBackwardBatched(g, dy, x, s, default, false, dw, false), rounds)}");
        Console.WriteLine($"{name,-18} {row}");
    }

    private static string Time(Action a, int rounds)
    {
        a();
        double best = double.MaxValue, worst = 0;
        for (int r = 0; r < rounds; r++)
        {
            long t = Stopwatch.GetTimestamp();
            a();
            double ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            best = Math.Min(best, ms);
            worst = Math.Max(worst, ms);
        }

        return FormattableString.Invariant($"{best:F2} ({worst / best - 1:F1})");
    }
}
