using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Winnow.Autograd;
using Winnow.Kernels;
using Winnow.NN;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.DynamicSparse;
using Winnow.Sparsity.Execution;
using Winnow.Sparsity.Masks;

namespace Winnow.Bench;

/// <summary>
/// Whole models with every conv/linear weight masked to a density (default 5%, exact per layer):
/// training steps (forward, cross-entropy, backward, SGD momentum step, mask re-applied) and
/// inference batches, on the dense kernels vs the sparse kernels (fast mode: weight gradient at kept
/// positions; exact mode: dense weight gradient). Sparse modes step only the kept weights
/// (<see cref="Optimizer.SetKeptPattern"/>, as sparse-train does for static masks and RigL);
/// sparse_fast_kept_write is what Sparse Momentum and SET run between mask updates: the dense optimizer
/// state update with weights written at kept positions only (<see cref="Optimizer.SetKeptWritePattern"/>);
/// sparse_fast_dense_step keeps the plain dense optimizer step + full re-mask (before the kept write) to show the gain; the
/// masks are re-applied as the training hooks do (<see cref="MaskSet.ApplyAfterStep"/>: skipped for weights
/// under the kept step), and
/// opt_step_ms times the optimizer step plus mask re-apply alone (fastest batch of 10 calls). Modes are interleaved within each round so noise
/// from other processes hits them alike; the best round is reported with the spread (max/min − 1).
/// With "pytorch" the same masked models are timed in PyTorch the reference way (dense weights ×
/// mask) by scripts/bench/pytorch_masked_step.py and the ratios printed. With "layers" the per-layer
/// dense vs sparse times of the big CIFAR models are printed too.
/// Args: model names (lenet300, lenet5, conv4, vgg16, wrn-16-8), threads=N (2), batch=N (100),
/// density=D (0.05), rounds=N (3), pytorch, layers.
/// </summary>
internal static class SparseBench
{
    private sealed record Case(string Model, int Channels, int Size, double MinSeconds);

    private static readonly Case[] Cases =
    [
        new("lenet300", 1, 28, 1.0), new("lenet5", 1, 28, 1.0), new("conv4", 3, 32, 1.0),
        new("vgg16", 3, 32, 0.3), new("wrn-16-8", 3, 32, 0.3),
    ];

    private static readonly string[] ModeNames = ["dense", "sparse_exact", "sparse_fast", "sparse_fast_kept_write", "sparse_fast_dense_step"];

    public static void Run(string[] args)
    {
        var names = args.Where(a => !a.Contains('=') && a is not "pytorch" and not "layers").ToHashSet(StringComparer.OrdinalIgnoreCase);
        int threads = BenchCommon.IntArg(args, "threads", 2), batch = BenchCommon.IntArg(args, "batch", 100);
        int rounds = BenchCommon.IntArg(args, "rounds", 3);
        double density = BenchCommon.DoubleArg(args, "density", 0.05);
        var cases = Cases.Where(c => names.Count == 0 || names.Contains(c.Model)).ToList();
        var torch = args.Contains("pytorch") ? PyTorch(cases, threads, batch, density) : [];
        int saved = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            foreach (var c in cases)
            {
                Measure(c, threads, batch, density, rounds, torch.TryGetValue(c.Model, out var tm) ? tm : null, args.Contains("layers"));
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private static void Measure(Case c, int threads, int batch, double density, int rounds, (double Train, double Infer)? torch, bool layers)
    {
        var rng = new Rng(42);
        var model = ModelZoo.Create(c.Model, new ModelSpec(c.Channels, c.Size, 10, rng));
        model.NameTensors();
        var masks = new MaskSet(model);
        foreach (var t in masks.Targets)
        {
            masks.Set(t.Name, ExactRandomMask(t.Count, density, rng));
        }

        masks.Apply();
        var opt = new Sgd(model.Parameters(), lr: 0.01, momentum: 0.9);
        var x = Tensor.Normal(rng, 0f, 1f, batch, c.Channels, c.Size, c.Size);
        int[] labels = Enumerable.Range(0, batch).Select(_ => rng.NextInt(10)).ToArray();
        var exact = new SparseExecution(masks, SparseKernelMode.On, DenseGradientMode.Exact);
        var fast = new SparseExecution(masks, SparseKernelMode.On, DenseGradientMode.Fast);
        var fastDenseStep = new SparseExecution(masks, SparseKernelMode.On, DenseGradientMode.Fast) { KeptStep = false };
        var fastKeptWrite = new SparseExecution(masks, SparseKernelMode.On, DenseGradientMode.Fast, DynamicSparseOptions.SparseMomentum(density));
        SparseExecution?[] executions = [null, exact, fast, fastKeptWrite, fastDenseStep];

        void Use(int mode)
        {
            foreach (var e in executions)
            {
                e?.Detach();
            }

            if (executions[mode] is { } use)
            {
                use.Attach();
                use.UseOptimizer(opt);
            }
        }

        void TrainStep()
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            Ops.CrossEntropy(model.Forward(x), labels).Backward();
            opt.Step();
            masks.ApplyAfterStep();
        }

        void OptimizerStep()
        {
            opt.Step();
            masks.ApplyAfterStep();
        }

        void Infer()
        {
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            model.Forward(x);
        }

        int modes = ModeNames.Length;
        var train = new List<double>[modes];
        var infer = new List<double>[modes];
        var step = new List<double>[modes];
        for (int mode = 0; mode < modes; mode++)
        {
            (train[mode], infer[mode], step[mode]) = ([], [], []);
        }

        for (int r = 0; r < rounds; r++)
        {
            for (int mode = 0; mode < modes; mode++)
            {
                Use(mode);
                model.Train();
                train[mode].Add(TimeMs(TrainStep, c.MinSeconds));
                step[mode].Add(BenchCommon.FastestBatchMs(OptimizerStep, batches: 30, calls: 10));
                model.Eval();
                using (FrozenSparseValues.Freeze(model))
                {
                    // as Evaluator runs it: kept values gathered once per evaluation, not per batch
                    infer[mode].Add(TimeMs(Infer, c.MinSeconds / 2));
                }
            }
        }

        var phases = new (double Forward, double Backward, double Step, double Mask, double AllocBytes, double Gen0)[modes];
        var (keptStep, keptWrite) = (new bool[modes], new bool[modes]);
        for (int mode = 0; mode < modes; mode++)
        {
            Use(mode);
            (keptStep[mode], keptWrite[mode]) = (executions[mode] is { KeptStepActive: true }, executions[mode] is { KeptWriteActive: true });
            model.Train();
            phases[mode] = Phases(model, opt, masks, x, labels, c.MinSeconds / 2);
        }

        Use(0);
        for (int mode = 0; mode < modes; mode++)
        {
            var fields = new List<(string, object)>
            {
                ("name", "sparse"), ("model", c.Model), ("mode", ModeNames[mode]), ("density", density), ("batch", batch), ("threads", threads),
                ("train_ms", Math.Round(train[mode].Min(), 3)), ("train_spread", Spread(train[mode])),
                ("infer_ms", Math.Round(infer[mode].Min(), 3)), ("infer_spread", Spread(infer[mode])),
                ("opt_step_ms", Math.Round(step[mode].Min(), 3)), ("opt_step_spread", Spread(step[mode])),
                ("kept_step", keptStep[mode]), ("kept_write", keptWrite[mode]),
                ("phase_forward_ms", Math.Round(phases[mode].Forward, 3)), ("phase_loss_backward_ms", Math.Round(phases[mode].Backward, 3)),
                ("phase_opt_step_ms", Math.Round(phases[mode].Step, 3)), ("phase_mask_apply_ms", Math.Round(phases[mode].Mask, 3)),
                ("alloc_bytes_per_step", Math.Round(phases[mode].AllocBytes, 0)), ("gen0_gcs_per_1000_steps", Math.Round(phases[mode].Gen0, 1)),
                ("infer_images_per_s", Math.Round(batch * 1000 / infer[mode].Min(), 0)),
                ("train_speedup_vs_dense", Math.Round(train[0].Min() / train[mode].Min(), 2)),
                ("infer_speedup_vs_dense", Math.Round(infer[0].Min() / infer[mode].Min(), 2)),
            };
            if (torch is { } t)
            {
                fields.Add(("train_speedup_vs_pytorch_masked", Math.Round(t.Train / train[mode].Min(), 2)));
                fields.Add(("infer_speedup_vs_pytorch_masked", Math.Round(t.Infer / infer[mode].Min(), 2)));
            }

            Json.Line([.. fields]);
        }

        if (layers)
        {
            foreach (var l in LayerSpeedBenchmark.Measure(masks, c.Channels, c.Size, batch, repeats: 3))
            {
                Json.Line(("name", "sparse_layer"), ("model", c.Model), ("layer", l.Name), ("shape", l.Shape), ("density", Math.Round(l.Density, 4)),
                    ("dense_fwd_ms", Math.Round(l.DenseForwardMs, 3)), ("dense_bwd_ms", Math.Round(l.DenseBackwardMs, 3)),
                    ("sparse_fwd_ms", Math.Round(l.SparseForwardMs, 3)), ("sparse_bwd_ms", Math.Round(l.SparseBackwardMs, 3)),
                    ("sparse_exact_bwd_ms", Math.Round(l.SparseExactBackwardMs, 3)),
                    ("fwd_speedup", Math.Round(l.ForwardSpeedup, 2)), ("train_speedup", Math.Round(l.TrainSpeedup, 2)), ("policy", l.PolicySparse ? "sparse" : "dense"));
            }
        }
    }

    /// <summary>
    /// Where a training step's time goes: median milliseconds of forward, loss + backward, optimizer step and
    /// mask re-apply over steps run for <paramref name="minSeconds"/> (after warm-up; medians, because on a
    /// shared machine a few preempted steps would dominate a mean), with the managed
    /// bytes allocated per step on this thread and gen-0 collections per 1000 steps.
    /// </summary>
    private static (double Forward, double Backward, double Step, double Mask, double AllocBytes, double Gen0) Phases(
        Module model, Optimizer opt, MaskSet masks, Tensor x, int[] labels, double minSeconds)
    {
        var t = new List<double>[] { [], [], [], [] };
        long alloc0 = 0, gc0 = 0;
        int n = 0;
        var total = new Stopwatch();
        for (int i = 0; i < 2 || total.Elapsed.TotalSeconds < minSeconds || n < 5; i++)
        {
            if (i == 2)
            {
                alloc0 = GC.GetAllocatedBytesForCurrentThread();
                gc0 = GC.CollectionCount(0);
                total.Start();
            }

            long s0 = Stopwatch.GetTimestamp();
            using (TensorScope.Begin())
            {
                opt.ZeroGrad();
                var logits = model.Forward(x);
                long s1 = Stopwatch.GetTimestamp();
                Ops.CrossEntropy(logits, labels).Backward();
                long s2 = Stopwatch.GetTimestamp();
                opt.Step();
                long s3 = Stopwatch.GetTimestamp();
                masks.ApplyAfterStep();
                long s4 = Stopwatch.GetTimestamp();
                if (i >= 2)
                {
                    t[0].Add(Stopwatch.GetElapsedTime(s0, s1).TotalMilliseconds);
                    t[1].Add(Stopwatch.GetElapsedTime(s1, s2).TotalMilliseconds);
                    t[2].Add(Stopwatch.GetElapsedTime(s2, s3).TotalMilliseconds);
                    t[3].Add(Stopwatch.GetElapsedTime(s3, s4).TotalMilliseconds);
                    n++;
                }
            }
        }

        double alloc = (GC.GetAllocatedBytesForCurrentThread() - alloc0) / (double)n;
        double gen0 = (GC.CollectionCount(0) - gc0) * 1000.0 / n;
        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        return (Median(t[0]), Median(t[1]), Median(t[2]), Median(t[3]), alloc, gen0);
    }

    /// <summary>A 0/1 mask with exactly round(density·count) ones at random positions.</summary>
    private static float[] ExactRandomMask(int count, double density, Rng rng)
    {
        var idx = Enumerable.Range(0, count).ToArray();
        int keep = Math.Max(1, (int)Math.Round(density * count));
        var mask = new float[count];
        for (int i = 0; i < keep; i++)
        {
            int j = i + rng.NextInt(count - i);
            (idx[i], idx[j]) = (idx[j], idx[i]);
            mask[idx[i]] = 1f;
        }

        return mask;
    }

    /// <summary>Milliseconds per call: warm up twice, then run for at least <paramref name="minSeconds"/> and 3 calls.</summary>
    private static double TimeMs(Action step, double minSeconds)
    {
        step();
        step();
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (n < 3 || sw.Elapsed.TotalSeconds < minSeconds)
        {
            step();
            n++;
        }

        return sw.Elapsed.TotalMilliseconds / n;
    }

    /// <summary>Max/min − 1 of the rounds: how much the machine disturbed them.</summary>
    private static double Spread(List<double> times) => Math.Round(times.Max() / times.Min() - 1, 3);

    /// <summary>Runs the PyTorch script and reads its per-model best train/inference milliseconds.</summary>
    private static Dictionary<string, (double Train, double Infer)> PyTorch(List<Case> cases, int threads, int batch, double density)
    {
        string script = Path.Combine(RepoRoot(), "scripts", "bench", "pytorch_masked_step.py");
        var psi = new ProcessStartInfo("/usr/bin/python3", [script, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--batch", batch.ToString(CultureInfo.InvariantCulture),
            "--density", density.ToString(CultureInfo.InvariantCulture), "--models", string.Join(",", cases.Select(c => c.Model))])
        { RedirectStandardOutput = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start /usr/bin/python3.");
        var result = new Dictionary<string, (double, double)>();
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null)
        {
            Console.WriteLine(line);
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            result[root.GetProperty("model").GetString()!] = (root.GetProperty("train_ms").GetDouble(), root.GetProperty("infer_ms").GetDouble());
        }

        p.WaitForExit();
        return result;
    }

    private static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Winnow.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the Winnow repository (Winnow.slnx not found above the binary or the current directory).");
    }
}
