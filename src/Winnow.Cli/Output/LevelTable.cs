using System.Globalization;
using System.Text;
using System.Text.Json;
using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Cli.Output;

/// <summary>
/// The density-vs-accuracy table of a lottery run: printed as text, written as levels.csv and
/// levels.jsonl (one row per level; control columns empty without --random-reinit).
/// </summary>
public static class LevelTable
{
    private const string CsvHeader = "level,kept,total,density,density_all_weights,best_acc,last_acc,epochs,steps,seconds,reinit_best_acc,reinit_last_acc,reinit_seconds";

    /// <summary>Writes levels.csv and levels.jsonl into <paramref name="run"/> (atomically, whole table).</summary>
    public static void Write(RunDirectory run, IReadOnlyList<LevelResult> levels)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        var jsonl = new StringBuilder();
        foreach (var l in levels)
        {
            var c = l.Control;
            csv.Append(string.Create(CultureInfo.InvariantCulture,
                $"{l.Level},{l.Kept},{l.Total},{l.Density:R},{l.DensityAllWeights:R},{l.Ticket.BestAccuracy:R},{l.Ticket.LastAccuracy:R},{l.Ticket.Epochs},{l.Ticket.Steps},{l.Ticket.Seconds:F2},{c?.BestAccuracy:R},{c?.LastAccuracy:R},{c?.Seconds:F2}\n"));
            jsonl.Append(JsonSerializer.Serialize(Row(l))).Append('\n');
        }

        AtomicFile.WriteAllText(Path.Combine(run.Path, "levels.csv"), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(run.Path, "levels.jsonl"), jsonl.ToString());
    }

    /// <summary>One level as a JSON-ready dictionary (levels.jsonl rows and summary.json).</summary>
    public static Dictionary<string, object?> Row(LevelResult l) => new()
    {
        ["level"] = l.Level,
        ["kept"] = l.Kept,
        ["total"] = l.Total,
        ["density"] = l.Density,
        ["density_all_weights"] = l.DensityAllWeights,
        ["best_acc"] = Finite(l.Ticket.BestAccuracy),
        ["last_acc"] = Finite(l.Ticket.LastAccuracy),
        ["epochs"] = l.Ticket.Epochs,
        ["steps"] = l.Ticket.Steps,
        ["seconds"] = Math.Round(l.Ticket.Seconds, 2),
        ["reinit_best_acc"] = l.Control is null ? null : Finite(l.Control.BestAccuracy),
        ["reinit_last_acc"] = l.Control is null ? null : Finite(l.Control.LastAccuracy),
        ["reinit_seconds"] = l.Control is null ? null : Math.Round(l.Control.Seconds, 2),
    };

    /// <summary>The table as aligned text (percentages with two decimals).</summary>
    public static string ToText(IReadOnlyList<LevelResult> levels)
    {
        bool control = levels.Any(l => l.Control is not null);
        var header = new List<string> { "level", "density", "all conv+linear", "kept", "best acc", "last acc", "epochs", "time" };
        if (control)
        {
            header.AddRange(["reinit best", "reinit last"]);
        }

        var rows = levels.Select(l =>
        {
            var r = new List<string> { N(l.Level), Pct(l.Density), Pct(l.DensityAllWeights), N(l.Kept), Pct(l.Ticket.BestAccuracy), Pct(l.Ticket.LastAccuracy), N(l.Ticket.Epochs), Seconds(l.Ticket.Seconds) };
            if (control)
            {
                r.AddRange(l.Control is { } c ? [Pct(c.BestAccuracy), Pct(c.LastAccuracy)] : ["-", "-"]);
            }

            return r;
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Append(IReadOnlyList<string> cells) => sb.Append(string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd()).Append('\n');
        Append(header);
        sb.Append(new string('-', widths.Sum() + (2 * (widths.Length - 1)))).Append('\n');
        rows.ForEach(Append);
        return sb.ToString();
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double v) => double.IsFinite(v) ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Seconds(double s) => s.ToString("0.0", CultureInfo.InvariantCulture) + "s";
}
