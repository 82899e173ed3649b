using System.CommandLine;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.Kernels;
using Winnow.NN;
using Winnow.NN.Data;
using Winnow.NN.Models;
using Winnow.NN.Serialization;
using Winnow.NN.Training;
using Winnow.Sparsity.Execution;
using Winnow.Sparsity.Subnetworks;

namespace Winnow.Cli.Commands;

/// <summary>`winnow eval CHECKPOINT`: test accuracy of a saved model.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval", "Evaluate a checkpoint on a dataset's test set (model and dataset default to the ones it was trained with).");
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint.safetensors written by `winnow train`, a ticket.wntk written by `winnow subnet`, or their run directory." };
        var model = new Option<string>("--model") { Description = "Model name, if the checkpoint does not record it." };
        var dataset = new Option<string>("--dataset") { Description = "Dataset name (default: the one recorded in the checkpoint)." };
        var data = new Option<string>("--data") { Description = "Directory with the dataset files.", HelpName = "dir" };
        var batch = new Option<int>("--batch-size") { Description = "Evaluation batch size.", DefaultValueFactory = _ => 1000 };
        var threads = new Option<int>("--threads") { Description = "Kernel threads (0 = all cores)." };
        var sparseKernels = new Option<string>("--sparse-kernels") { Description = "Sparse kernels for layers with zero weights: auto (per layer, when faster for its density), on, or off.", DefaultValueFactory = _ => "auto" };
        command.Arguments.Add(checkpoint);
        command.Options.Add(model);
        command.Options.Add(dataset);
        command.Options.Add(data);
        command.Options.Add(batch);
        command.Options.Add(threads);
        command.Options.Add(sparseKernels);
        command.SetAction(result => Cli.Run(() =>
        {
            string path = result.GetValue(checkpoint)!;
            if (Directory.Exists(path))
            {
                // A `winnow subnet` run: its checkpoint holds the frozen random weights; the network is the ticket.
                string ticket = Path.Combine(path, SubnetCommand.TicketFile);
                path = File.Exists(ticket) ? ticket : Path.Combine(path, "checkpoint.safetensors");
            }

            if (!File.Exists(path))
            {
                throw new CliException($"Checkpoint '{path}' does not exist. Pass a checkpoint.safetensors file or a run directory written by `winnow train`.");
            }

            int t = result.GetValue(threads);
            Parallelism.MaxThreads = t <= 0 ? Environment.ProcessorCount : t;
            if (path.EndsWith(".wntk", StringComparison.OrdinalIgnoreCase))
            {
                return EvaluateTicket(path, result.GetValue(dataset), result.GetValue(data), result.GetValue(batch));
            }

            var loaded = Checkpoint.Load(path);
            string modelName = result.GetValue(model) ?? (loaded.Metadata.TryGetValue("model", out var m) ? m : throw new CliException($"Checkpoint '{path}' does not record its model; pass --model NAME."));
            string datasetName = result.GetValue(dataset) ?? (loaded.Metadata.TryGetValue("dataset", out var d) ? d : "fashion-mnist");
            if (!DatasetCatalog.Names.Contains(datasetName))
            {
                throw new CliException($"Unknown dataset '{datasetName}'.{Winnow.Settings.NameSuggestions.DidYouMean(datasetName, DatasetCatalog.Names)} Known datasets: {string.Join(", ", DatasetCatalog.Names)}.");
            }

            if (!ModelZoo.Names.Contains(modelName))
            {
                throw new CliException($"Unknown model '{modelName}'.{Winnow.Settings.NameSuggestions.DidYouMean(modelName, ModelZoo.Names)} Known models: {string.Join(", ", ModelZoo.Names)}.");
            }

            var (_, test, info) = DatasetCatalog.Load(datasetName, result.GetValue(data));
            var net = ModelZoo.Create(modelName, new ModelSpec(test.Channels, test.Height, test.Classes, new Rng(0)));
            loaded.ApplyTo(net, null, new Dictionary<string, Rng>());
            var kernels = SparseTrainCommand.ResolveExecution(new TrainConfig { SparseKernels = result.GetValue(sparseKernels)! }).Kernels;
            var layers = SparseInference.Attach(net, kernels);
            using var loader = new DataLoader(test, result.GetValue(batch), new DataLoaderOptions { Shuffle = false, Normalization = info.Spec.Normalization });
            var r = Evaluator.Evaluate(net, loader.Epoch(0).Select(b => new LabeledBatch(b.Images, b.Labels)));
            Console.WriteLine(Format.Invariant($"{modelName} on {info.Spec.Title} test set ({r.Samples:N0} images from {info.Location.Directory}): accuracy {r.Accuracy * 100:F2}%, loss {r.Loss:F4}, {Throughput(r)} ({layers.Count(l => l.Sparse)} of {layers.Count} conv/linear layers on sparse kernels{ChainOnly(layers.Count(l => l.ChainOnly))}, --sparse-kernels {result.GetValue(sparseKernels)})"));
            return 0;
        }));
        return command;
    }

    private static string ChainOnly(int count) => count == 0 ? "" : Format.Invariant($" and {count} small one{(count == 1 ? "" : "s")} when {(count == 1 ? "it continues" : "they continue")} a fused sparse chain");

    private static int EvaluateTicket(string path, string? datasetName, string? dataDir, int batchSize)
    {
        Module net;
        CompactTicketHeader header;
        try
        {
            (net, header) = CompactTicket.Load(path);
        }
        catch (InvalidDataException ex)
        {
            throw new CliException(ex.Message);
        }

        datasetName ??= header.Dataset ?? "fashion-mnist";
        if (!DatasetCatalog.Names.Contains(datasetName))
        {
            throw new CliException($"Unknown dataset '{datasetName}'.{Winnow.Settings.NameSuggestions.DidYouMean(datasetName, DatasetCatalog.Names)} Known datasets: {string.Join(", ", DatasetCatalog.Names)}.");
        }

        var (_, test, info) = DatasetCatalog.Load(datasetName, dataDir);
        if (test.Channels != header.InChannels || test.Height != header.InputSize)
        {
            throw new CliException($"Ticket '{path}' is a {header.Model} for {header.InChannels}×{header.InputSize}×{header.InputSize} inputs; dataset '{datasetName}' has {test.Channels}×{test.Height}×{test.Width}. Pass the dataset it was trained on with --dataset.");
        }

        using var loader = new DataLoader(test, batchSize, new DataLoaderOptions { Shuffle = false, Normalization = info.Spec.Normalization });
        var r = Evaluator.Evaluate(net, loader.Epoch(0).Select(b => new LabeledBatch(b.Images, b.Labels)));
        Console.WriteLine(Format.Invariant($"{header.Model} {header.Method} ticket ({new FileInfo(path).Length:N0} bytes) on {info.Spec.Title} test set ({r.Samples:N0} images from {info.Location.Directory}): accuracy {r.Accuracy * 100:F2}%, loss {r.Loss:F4}, {Throughput(r)}"));
        return 0;
    }

    /// <summary>"N images/s end to end, M images/s model forward": the second leaves out data loading and the warm-up batch.</summary>
    private static string Throughput(EvalResult r) => r.ForwardImagesPerSecond > 0
        ? Format.Invariant($"{r.ImagesPerSecond:F0} images/s end to end, {r.ForwardImagesPerSecond:F0} images/s model forward after the first batch")
        : Format.Invariant($"{r.ImagesPerSecond:F0} images/s");
}
