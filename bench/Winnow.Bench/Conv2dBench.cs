using System.Diagnostics;
using System.Globalization;
using Winnow.Kernels;

namespace Winnow.Bench;

/// <summary>
/// Conv2d forward and backward (input + weight gradient) times for the LeNet-5-Caffe layers
/// (batch 100) and the 13 CIFAR VGG-16 layers (batch 128). One JSON object per line.
/// Arguments: layer-name prefixes select layers (default <c>lenet5</c> and <c>vgg16</c>; also
/// available: <c>conv4</c> and <c>resnet20</c>, batch 128), <c>--threads N</c> sets
/// <see cref="Parallelism.MaxThreads"/>, <c>--seconds S</c> the minimum time per measurement.
/// Allocation is reported per call, for the calling thread.
/// </summary>
internal static class Conv2dBench
{
    private static readonly (string Name, Conv2dGeometry Geometry)[] s_layers = Build();

    public static void Run(string[] args)
    {
        int threads = Environment.ProcessorCount;
        double seconds = 0.3;
        var groups = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--threads" && i + 1 < args.Length)
            {
                threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--seconds" && i + 1 < args.Length)
            {
                seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                groups.Add(args[i]);
            }
        }

        int savedThreads = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            if (groups.Count == 0)
            {
                groups.AddRange(["lenet5", "vgg16"]);
            }

            foreach ((string name, Conv2dGeometry g) in s_layers)
            {
                if (groups.Exists(grp => name.StartsWith(grp, StringComparison.OrdinalIgnoreCase)))
                {
                    Measure(name, g, threads, seconds);
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = savedThreads;
        }
    }

    private static (string, Conv2dGeometry)[] Build()
    {
        var layers = new List<(string, Conv2dGeometry)>
        {
            ("lenet5.conv1", new Conv2dGeometry(100, 1, 28, 28, 20, 5, 5, 1, 1, 0, 0)),
            ("lenet5.conv2", new Conv2dGeometry(100, 20, 12, 12, 50, 5, 5, 1, 1, 0, 0)),
        };

        // CIFAR VGG-16: (in, out, spatial) for the 13 3x3 pad-1 convolutions.
        (int In, int Out, int Size)[] vgg =
        [
            (3, 64, 32), (64, 64, 32), (64, 128, 16), (128, 128, 16),
            (128, 256, 8), (256, 256, 8), (256, 256, 8),
            (256, 512, 4), (512, 512, 4), (512, 512, 4),
            (512, 512, 2), (512, 512, 2), (512, 512, 2),
        ];
        for (int i = 0; i < vgg.Length; i++)
        {
            (int cin, int cout, int size) = vgg[i];
            layers.Add(($"vgg16.conv{i + 1}", new Conv2dGeometry(128, cin, size, size, cout, 3, 3, 1, 1, 1, 1)));
        }

        // Conv-4 (MNIST 1x28x28, 3x3 pad 1, 2x2 max pool after every second layer), batch 128.
        layers.Add(("conv4.conv1", new Conv2dGeometry(128, 1, 28, 28, 64, 3, 3, 1, 1, 1, 1)));
        layers.Add(("conv4.conv2", new Conv2dGeometry(128, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1)));
        layers.Add(("conv4.conv3", new Conv2dGeometry(128, 64, 14, 14, 128, 3, 3, 1, 1, 1, 1)));
        layers.Add(("conv4.conv4", new Conv2dGeometry(128, 128, 14, 14, 128, 3, 3, 1, 1, 1, 1)));

        // ResNet-20 CIFAR: the distinct 3x3 shapes (stem, each stage, the stride-2 entries), batch 128.
        layers.Add(("resnet20.stem", new Conv2dGeometry(128, 3, 32, 32, 16, 3, 3, 1, 1, 1, 1)));
        layers.Add(("resnet20.stage1", new Conv2dGeometry(128, 16, 32, 32, 16, 3, 3, 1, 1, 1, 1)));
        layers.Add(("resnet20.down2", new Conv2dGeometry(128, 16, 32, 32, 32, 3, 3, 2, 2, 1, 1)));
        layers.Add(("resnet20.stage2", new Conv2dGeometry(128, 32, 16, 16, 32, 3, 3, 1, 1, 1, 1)));
        layers.Add(("resnet20.down3", new Conv2dGeometry(128, 32, 16, 16, 64, 3, 3, 2, 2, 1, 1)));
        layers.Add(("resnet20.stage3", new Conv2dGeometry(128, 64, 8, 8, 64, 3, 3, 1, 1, 1, 1)));

        return [.. layers];
    }

    private static void Measure(string name, Conv2dGeometry g, int threads, double seconds)
    {
        var rng = new Rng(42);
        float[] x = new float[g.InputLength], w = new float[g.WeightLength], b = new float[g.O], dy = new float[g.OutputLength];
        float[] y = new float[g.OutputLength], dx = new float[g.InputLength], dw = new float[g.WeightLength], db = new float[g.O];
        rng.FillUniform(x, -1f, 1f);
        rng.FillUniform(w, -0.1f, 0.1f);
        rng.FillUniform(dy, -1f, 1f);

        (double forward, long forwardAlloc) = Time(() => Conv2dKernels.Forward(g, x, w, b, y), seconds);
        (double backward, long backwardAlloc) = Time(() =>
        {
            Conv2dKernels.BackwardInput(g, dy, w, dx, accumulate: false);
            Conv2dKernels.BackwardWeight(g, dy, x, dw, db, accumulate: false);
        }, seconds);

        double flops = 2.0 * g.N * g.O * g.OH * g.OW * g.PatchLength;
        Json.Line(("name", "conv2d"), ("layer", name), ("n", g.N), ("c", g.C), ("h", g.H), ("w", g.W), ("o", g.O), ("kh", g.KH), ("kw", g.KW),
            ("stride", g.StrideH), ("pad", g.PadH), ("threads", threads), ("ms_forward", Math.Round(forward * 1e3, 3)), ("ms_backward", Math.Round(backward * 1e3, 3)),
            ("gflops_forward", Math.Round(flops / forward / 1e9, 1)), ("gflops_backward", Math.Round(2 * flops / backward / 1e9, 1)),
            ("alloc_bytes_forward", forwardAlloc), ("alloc_bytes_backward", backwardAlloc));
    }

    /// <summary>Median seconds per call after warm-up, and bytes the calling thread allocated per call.</summary>
    private static (double Seconds, long AllocPerCall) Time(Action call, double minSeconds)
    {
        // Warm up long enough for tiered compilation to reach the optimised code, and for buffers to grow.
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 3 || warm.Elapsed.TotalSeconds < 0.2; i++)
        {
            call();
        }

        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        call();
        long alloc = GC.GetAllocatedBytesForCurrentThread() - allocBefore;

        var times = new List<double>(1024);
        var total = Stopwatch.StartNew();
        while (times.Count < 3 || (total.Elapsed.TotalSeconds < minSeconds && times.Count < 1000))
        {
            long t0 = Stopwatch.GetTimestamp();
            call();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        times.Sort();
        return (times[times.Count / 2], alloc);
    }
}
