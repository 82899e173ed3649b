using System.Globalization;
using System.Text;
using Winnow.NN.Serialization;
using Winnow.Sparsity.ContinuousSparsification;

namespace Winnow.Cli.Output;

/// <summary>
/// The tables of a `winnow cs` run: rounds.csv per run (hard-mask density, soft and hard accuracy,
/// temperature per search round) and sweep.csv (one row per (s0, λ): ticket density and accuracy).
/// </summary>
public static class CsTable
{
    /// <summary>Writes rounds.csv into <paramref name="dir"/>.</summary>
    public static void WriteRounds(RunDirectory dir, IReadOnlyList<RoundResult> rounds)
    {
        var csv = new StringBuilder("round,temperature,kept,total,hard_density,soft_acc,hard_acc,epochs,seconds\n");
        foreach (var r in rounds)
        {
            csv.Append(string.Create(CultureInfo.InvariantCulture, $"{r.Round},{r.Temperature:R},{r.Kept},{r.Total},{r.Density:R},{r.SoftAccuracy:R},{r.HardAccuracy:R},{r.History.Count},{r.Seconds:F2}\n"));
        }

        AtomicFile.WriteAllText(Path.Combine(dir.Path, "rounds.csv"), csv.ToString());
    }

    /// <summary>Writes sweep.csv into <paramref name="run"/>.</summary>
    public static void WriteSweep(RunDirectory run, IReadOnlyList<CsResult> results)
    {
        var csv = new StringBuilder("s0,lambda,kept,total,density,final_acc,best_ticket_acc,total_epochs\n");
        foreach (var r in results)
        {
            csv.Append(string.Create(CultureInfo.InvariantCulture, $"{r.Options.InitialValue:R},{r.Options.Lambda:R},{r.Kept},{r.Total},{r.Density:R},{r.FinalAccuracy:R},{Best(r):R},{r.TotalEpochs}\n"));
        }

        AtomicFile.WriteAllText(Path.Combine(run.Path, "sweep.csv"), csv.ToString());
    }

    /// <summary>One run as a JSON-ready dictionary (summary.json).</summary>
    public static Dictionary<string, object?> Row(CsResult r) => new()
    {
        ["s0"] = r.Options.InitialValue,
        ["lambda"] = r.Options.Lambda,
        ["kept"] = r.Kept,
        ["total"] = r.Total,
        ["density"] = r.Density,
        ["final_acc"] = Finite(r.FinalAccuracy),
        ["best_ticket_acc"] = Finite(Best(r)),
        ["total_epochs"] = r.TotalEpochs,
        ["rounds"] = r.Rounds.Select(x => new Dictionary<string, object?>
        {
            ["round"] = x.Round,
            ["temperature"] = x.Temperature,
            ["hard_density"] = x.Density,
            ["soft_acc"] = Finite(x.SoftAccuracy),
            ["hard_acc"] = Finite(x.HardAccuracy),
        }).ToList(),
    };

    /// <summary>The per-round lines of one run.</summary>
    public static string RoundsText(IReadOnlyList<RoundResult> rounds)
    {
        var sb = new StringBuilder("  round  temperature  hard density  soft acc  hard acc\n");
        foreach (var r in rounds)
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"  {r.Round,5}  {r.Temperature,11:0.##}  {r.Density * 100,11:F2}%  {r.SoftAccuracy * 100,7:F2}%  {r.HardAccuracy * 100,7:F2}%\n"));
        }

        return sb.ToString();
    }

    /// <summary>The sweep as aligned text.</summary>
    public static string SweepText(IReadOnlyList<CsResult> results)
    {
        var sb = new StringBuilder("      s0     lambda   density      kept  ticket acc  best acc  epochs\n");
        foreach (var r in results)
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"  {r.Options.InitialValue,6:0.###}  {r.Options.Lambda,9:0.##E+0}  {r.Density * 100,7:F2}%  {r.Kept,8:N0}  {r.FinalAccuracy * 100,9:F2}%  {Best(r) * 100,7:F2}%  {r.TotalEpochs,6}\n"));
        }

        return sb.ToString();
    }

    private static double Best(CsResult r) => r.Ticket.Count > 0 ? r.Ticket.Max(m => m.TestAccuracy ?? double.NaN) : r.FinalAccuracy;

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
