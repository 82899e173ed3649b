using System.Diagnostics;
using Winnow.Kernels;
using Winnow.NN;
using Winnow.NN.Models;
using Winnow.NN.Optim;

namespace Winnow.Bench;

/// <summary>
/// Whole training steps (forward, cross-entropy, backward, SGD momentum step) on random data,
/// the way the Trainer runs them: one TensorScope per step, so buffers are reused.
/// Args: optional model names (lenet300, lenet5, conv4, resnet20, vgg16, wrn-16-8), optional "threads=N".
/// </summary>
internal static class TrainStepBench
{
    private sealed record Case(string Model, int Batch, int[] InputShape, Func<Rng, Module> Build);

    private static readonly Case[] Cases =
    [
        new("lenet300", 100, [1, 28, 28], rng => new LeNet300100(rng)),
        new("lenet5", 100, [1, 28, 28], rng => new LeNet5Caffe(rng)),
        new("conv4", 128, [1, 28, 28], rng => new ConvNet(4, rng)),
        new("resnet20", 128, [3, 32, 32], rng => new ResNetCifar(20, rng)),
        new("vgg16", 128, [3, 32, 32], rng => ModelZoo.Create("vgg16", new ModelSpec(3, 32, 10, rng))),
        new("wrn-16-8", 128, [3, 32, 32], rng => ModelZoo.Create("wrn-16-8", new ModelSpec(3, 32, 10, rng))),
    ];

    public static void Run(string[] args)
    {
        var names = args.Where(a => !a.Contains('=')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        int threads = args.Where(a => a.StartsWith("threads=", StringComparison.Ordinal)).Select(a => int.Parse(a[8..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(Environment.ProcessorCount).First();
        int saved = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            foreach (var c in Cases.Where(c => names.Count == 0 || names.Contains(c.Model)))
            {
                Measure(c, threads);
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private static void Measure(Case c, int threads)
    {
        var rng = new Rng(42);
        var model = c.Build(rng);
        model.Train();
        var opt = new Sgd(model.Parameters(), lr: 0.01, momentum: 0.9);
        int[] shape = [c.Batch, .. c.InputShape];
        var x = Tensor.Normal(rng, 0f, 1f, shape);
        var labels = new int[c.Batch];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = rng.NextInt(10);
        }

        void Step()
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            var loss = Ops.CrossEntropy(model.Forward(x), labels);
            loss.Backward();
            opt.Step();
        }

        for (int i = 0; i < 3; i++)
        {
            Step();
        }

        // Time for at least ~2 s and 5 steps (big CIFAR models take ~1 s a step).
        var sw = Stopwatch.StartNew();
        int steps = 0;
        long alloc0 = GC.GetAllocatedBytesForCurrentThread();
        while (steps < 5 || sw.Elapsed.TotalSeconds < 2.0)
        {
            Step();
            steps++;
        }

        double seconds = sw.Elapsed.TotalSeconds;
        long alloc = (GC.GetAllocatedBytesForCurrentThread() - alloc0) / steps;
        Json.Line(
            ("name", "train_step"), ("model", c.Model), ("batch", c.Batch), ("threads", threads),
            ("ms_per_step", Math.Round(seconds * 1000 / steps, 3)),
            ("images_per_s", Math.Round(steps * c.Batch / seconds, 1)),
            ("alloc_bytes_per_step", alloc));
    }
}
