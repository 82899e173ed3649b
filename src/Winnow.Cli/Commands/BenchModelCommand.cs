using System.CommandLine;
using Spectre.Console;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.Kernels;
using Winnow.NN;
using Winnow.NN.Models;
using Winnow.Sparsity.DynamicSparse;
using Winnow.Sparsity.Execution;
using Winnow.Sparsity.Masks;

namespace Winnow.Cli.Commands;

/// <summary>
/// `winnow bench-model MODEL --density D`: per masked layer, dense vs sparse forward and backward times
/// (random uniform mask at D, random inputs of the layer's shape in the model) and the execution
/// policy's choice — the measurement behind `--sparse-kernels auto` (docs/sparse-execution.md).
/// </summary>
public static class BenchModelCommand
{
    public static Command Create()
    {
        var command = new Command("bench-model", "Time every conv/linear layer of a model dense vs sparse at a density (forward, backward with the weight gradient at kept positions, and with the dense weight gradient), and show which kernels --sparse-kernels auto picks.");
        var model = new Argument<string>("model") { Description = "Model name (see `winnow models`)." };
        var density = new Option<double>("--density") { Description = "Fraction of each layer's weights kept, in (0, 1].", DefaultValueFactory = _ => 0.05 };
        var batch = new Option<int>("--batch-size") { Description = "Batch size of the timed passes.", DefaultValueFactory = _ => 100 };
        var threads = new Option<int>("--threads") { Description = "Kernel threads (0 = all cores)." };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per figure; the best is shown.", DefaultValueFactory = _ => 5 };
        command.Arguments.Add(model);
        command.Options.Add(density);
        command.Options.Add(batch);
        command.Options.Add(threads);
        command.Options.Add(repeats);
        command.SetAction(result => Cli.Run(() =>
        {
            string name = result.GetValue(model)!;
            if (!ModelZoo.Names.Contains(name))
            {
                throw new CliException($"Unknown model '{name}'.{Winnow.Settings.NameSuggestions.DidYouMean(name, ModelZoo.Names)} Known models: {string.Join(", ", ModelZoo.Names)}.");
            }

            double d = result.GetValue(density);
            if (!(d > 0 && d <= 1))
            {
                throw new CliException(Format.Invariant($"--density must be in (0, 1]; got {d}."));
            }

            int b = result.GetValue(batch), r = result.GetValue(repeats), t = result.GetValue(threads);
            if (b < 1 || r < 1)
            {
                throw new CliException("--batch-size and --repeats must be at least 1.");
            }

            Parallelism.MaxThreads = t <= 0 ? Environment.ProcessorCount : t;
            var info = ModelZoo.Get(name);
            var rng = new Rng(0);
            var net = info.Factory(info.DefaultSpec(rng));
            net.NameTensors();
            var masks = new MaskSet(net);
            MaskInitializer.Initialize(masks, "uniform", d, bernoulli: false, rng);
            masks.Apply();
            var layers = LayerSpeedBenchmark.Measure(masks, info.InChannels, info.InputSize, b, r);
            Console.WriteLine(Format.Invariant($"{name} ({info.DefaultInputShape}), batch {b}, {Parallelism.MaxThreads} thread(s), density {d * 100:0.##}%: best of {r} runs, milliseconds. Sparse backward = input gradient + weight gradient at kept positions (--dense-grad fast); exact = dense weight gradient."));
            var table = new Table().AddColumns("layer", "op", "shape", "density", "dense fwd", "dense bwd", "sparse fwd", "sparse bwd", "bwd exact", "fwd ×", "train ×", "auto picks");
            foreach (var l in layers)
            {
                table.AddRow(l.Name, l.Op, Markup.Escape(l.Shape), Format.Invariant($"{l.Density * 100:F1}%"),
                    Ms(l.DenseForwardMs), Ms(l.DenseBackwardMs), Ms(l.SparseForwardMs), Ms(l.SparseBackwardMs), Ms(l.SparseExactBackwardMs),
                    Format.Invariant($"{l.ForwardSpeedup:F2}"), Format.Invariant($"{l.TrainSpeedup:F2}"), l.PolicySparse ? "sparse" : "dense");
            }

            double denseF = layers.Sum(l => l.DenseForwardMs), denseT = layers.Sum(l => l.DenseForwardMs + l.DenseBackwardMs);
            double bestF = layers.Sum(l => l.PolicySparse ? l.SparseForwardMs : l.DenseForwardMs);
            double bestT = layers.Sum(l => l.PolicySparse ? l.SparseForwardMs + l.SparseBackwardMs : l.DenseForwardMs + l.DenseBackwardMs);
            Terminal.Create().Write(table);
            Console.WriteLine(Format.Invariant($"Conv/linear layers in total: forward {denseF:F3} ms dense, {bestF:F3} ms as auto picks ({denseF / bestF:F2}×); forward + backward {denseT:F3} ms dense, {bestT:F3} ms as auto picks ({denseT / bestT:F2}×). Timings are noisy when other work shares the cores."));
            return 0;
        }));
        return command;
    }

    private static string Ms(double ms) => Format.Invariant($"{ms:F3}");
}
