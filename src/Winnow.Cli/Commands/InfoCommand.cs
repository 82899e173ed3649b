using System.CommandLine;
using System.Globalization;
using System.Text;
using Winnow.Cli.Config;
using Winnow.Cli.Output;
using Winnow.NN;
using Winnow.NN.Data;
using Winnow.NN.Models;
using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;
using Winnow.Sparsity.Reports;
using Winnow.Sparsity.Subnetworks;

namespace Winnow.Cli.Commands;

/// <summary>
/// `winnow info CHECKPOINT`: the per-layer sparsity report (kept/total, density over the masked
/// tensors and over all conv+linear weights, dense vs sparse FLOPs) of a checkpoint with or without
/// masks; with --compare B, the overlap of the two checkpoints' masks. For a `winnow subnet` run (or
/// its ticket.wntk): method, keep fraction, kept weights and α per layer, the size in bits against
/// fp32, and the operation counts with binary layers' XNOR-popcount bit-ops apart from real FLOPs.
/// </summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show a checkpoint's per-layer density and dense vs sparse FLOPs; with --compare, the overlap of two checkpoints' masks.");
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint.safetensors or its run directory (train, prune, or a lottery level-NN folder), or a `winnow subnet` run directory or its ticket.wntk." };
        var compare = new Option<string>("--compare") { Description = "Another checkpoint of the same model: print the Jaccard overlap and containment of the two masks.", HelpName = "checkpoint" };
        var model = new Option<string>("--model") { Description = "Model name, if the checkpoint does not record it." };
        var dataset = new Option<string>("--dataset") { Description = "Dataset the model was built for (input shape and classes), if not recorded." };
        command.Arguments.Add(checkpoint);
        command.Options.Add(compare);
        command.Options.Add(model);
        command.Options.Add(dataset);
        command.SetAction(result => Cli.Run(() => Execute(result.GetValue(checkpoint)!, result.GetValue(compare), result.GetValue(model), result.GetValue(dataset))));
        return command;
    }

    private static int Execute(string path, string? compare, string? modelName, string? datasetName)
    {
        string ticket = Directory.Exists(path) ? Path.Combine(path, SubnetCommand.TicketFile) : path;
        if (ticket.EndsWith(".wntk", StringComparison.OrdinalIgnoreCase) && File.Exists(ticket))
        {
            return compare is null
                ? Ticket(ticket)
                : throw new CliException($"--compare works on masks of `prune`/`lottery` checkpoints; '{path}' is a `winnow subnet` ticket. Run `winnow info` on it without --compare.");
        }

        var data = CheckpointInputs.Load("checkpoint", path);
        string name = CheckpointInputs.ModelOf(data, modelName);
        string datasetKey = datasetName ?? data.Metadata.GetValueOrDefault("dataset", "fashion-mnist");
        if (!ModelZoo.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw new CliException($"Unknown model '{name}'.{Winnow.Settings.NameSuggestions.DidYouMean(name, ModelZoo.Names)} Known models: {string.Join(", ", ModelZoo.Names)}.");
        }

        if (!DatasetCatalog.TryGet(datasetKey, out var spec))
        {
            throw new CliException($"Unknown dataset '{datasetKey}'.{Winnow.Settings.NameSuggestions.DidYouMean(datasetKey, DatasetCatalog.Names)} Known datasets: {string.Join(", ", DatasetCatalog.Names)}.");
        }

        var net = ModelZoo.Create(name, new ModelSpec(spec.Channels, spec.Height, spec.Classes, new Rng(0)));
        data.ApplyTo(net);
        var masks = MaskCheckpoint.TryLoad(net, data);
        var report = SparsityReport.Measure(net, masks, spec.Channels, spec.Height);
        var console = Console.Out;
        string epoch = data.Metadata.TryGetValue("epoch", out var ep) && int.TryParse(ep, NumberStyles.Integer, CultureInfo.InvariantCulture, out int e) ? Format.Invariant($", after epoch {e + 1}") : "";
        string level = data.Metadata.TryGetValue("level", out var lv) ? $", lottery level {lv} ({data.Metadata.GetValueOrDefault("lottery_run", "ticket")})" : "";
        console.WriteLine($"{data.Path}: {name} for {spec.Title} ({spec.Channels}×{spec.Height}×{spec.Width}){epoch}{level}; {(masks is null ? "no masks (density counts non-zero weights)" : $"{masks.Targets.Count} masks")}");
        console.WriteLine();
        console.Write(report.ToTable());
        if (compare is not null)
        {
            console.WriteLine();
            console.Write(Overlap(data, name, CheckpointInputs.Load("--compare", compare)));
        }

        return 0;
    }

    private static int Ticket(string path)
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

        var size = SubnetSizeReport.FromTicket(net, header);
        var ops = SubnetOpCounts.Measure(net, header.Layers.ToDictionary(l => l.Name, l => l.Kept, StringComparer.Ordinal), header.Method == "biprop", header.InChannels, header.InputSize);
        bool signs = ops.Layers.Any(l => l.BinaryInput);
        string what = header.Method == "biprop" ? (signs ? "biprop MPT-1/1 (±α weights, sign activations)" : "biprop MPT-1/32 (±α weights, real activations)") : signs ? "edge-popup (real weights, sign activations)" : "edge-popup (real weights)";
        string keep = header.KeepFraction is { } k ? Format.Invariant($"keep {k:0.###} {(header.Global == true ? "globally" : "per layer")}") : "keep not recorded";
        long bytes = new FileInfo(path).Length;
        var console = Console.Out;
        console.WriteLine(Format.Invariant($"{path}: {what} ticket of a random {header.Model} (width ×{header.WidthMultiplier}) for {header.InChannels}×{header.InputSize}×{header.InputSize} inputs, {header.Classes} classes{(header.Dataset is null ? "" : ", found on " + header.Dataset)}; {keep}"));
        console.WriteLine();
        console.Write(SubnetSummary.Table(size));
        console.WriteLine(Format.Invariant($"ticket file: {bytes:N0} bytes vs fp32 {size.DenseFp32Bits / 8:N0} bytes"));
        console.WriteLine();
        console.Write(SubnetSummary.OpsTable(ops));
        return 0;
    }

    private static string Overlap(CheckpointData a, string modelName, CheckpointData b)
    {
        string other = CheckpointInputs.ModelOf(b, modelName);
        if (!string.Equals(other, modelName, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"--compare '{b.Path}' holds a {other} but '{a.Path}' holds a {modelName}: masks can only be compared between checkpoints of the same model.");
        }

        var ma = MaskCheckpoint.Read(a);
        var mb = MaskCheckpoint.Read(b);
        foreach (var (file, masks) in new[] { (a.Path, ma), (b.Path, mb) })
        {
            if (masks.Count == 0)
            {
                throw new CliException($"'{file}' holds no masks (no masks.* tensors), so there is nothing to compare; pass checkpoints written by `winnow prune` or `winnow lottery`.");
            }
        }

        MaskOverlap overlap;
        try
        {
            overlap = MaskOverlap.Compare(ma, mb);
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"Cannot compare '{a.Path}' with '{b.Path}': {ex.Message}");
        }

        var sb = new StringBuilder($"Mask overlap, A = {a.Path}, B = {b.Path}:\n");
        var rows = overlap.Layers.Append(overlap.Overall).Select(l => new[]
        {
            l.Name, N(l.KeptA), N(l.KeptB), N(l.Both), Pct(l.Jaccard), Pct(l.AInB), Pct(l.BInA), Pct(l.RandomJaccard),
        }).ToList();
        string[] header = ["tensor", "kept A", "kept B", "both", "Jaccard", "A in B", "B in A", "random Jaccard"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        void Append(string[] cells) => sb.Append(string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd()).Append('\n');
        Append(header);
        sb.Append(new string('-', widths.Sum() + (2 * (widths.Length - 1)))).Append('\n');
        rows.ForEach(Append);
        sb.Append("(Jaccard = |A∩B|/|A∪B|; A in B = |A∩B|/|A|; random Jaccard = what independent random masks of these densities would give)\n");
        return sb.ToString();
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double v) => (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
