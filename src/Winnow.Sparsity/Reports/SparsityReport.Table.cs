using System.Globalization;
using System.Text;

namespace Winnow.Sparsity.Reports;

public sealed partial record SparsityReport
{
    /// <summary>
    /// Plain-text table, one row per conv/linear weight (name, kind, shape, kept/total, density, dense
    /// and sparse MACs per image, masked), then the totals: densities over the masked tensors and over
    /// all conv+linear weights, parameters, and inference and training FLOPs per image with the
    /// dense/sparse ratio. Invariant culture, thousands separated by commas; no colours (the CLI adds them).
    /// </summary>
    public string ToTable()
    {
        string[] header = ["layer", "kind", "shape", "kept", "total", "density", "dense MACs", "sparse MACs", "masked"];
        var rows = Layers.Select(l => new[]
        {
            l.Name, l.Kind, Tensor.ShapeString(l.Shape), N(l.Kept), N(l.Total), Pct(l.Density), N(l.DenseMacs), N(l.SparseMacs), l.Masked ? "yes" : "no",
        }).ToList();
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        bool[] right = [false, false, false, true, true, true, true, true, false];
        var sb = new StringBuilder();
        AppendRow(sb, header, widths, right);
        sb.Append(new string('-', widths.Sum() + (2 * (widths.Length - 1)))).Append('\n');
        foreach (var r in rows)
        {
            AppendRow(sb, r, widths, right);
        }

        sb.Append('\n');
        string input = $"{InChannels}×{InputSize}×{InputSize}";
        Line(sb, "masked tensors", MaskedTotal == 0 ? "none" : $"{N(MaskedKept)} of {N(MaskedTotal)} kept (density {Pct(MaskedDensity)})");
        Line(sb, "all conv+linear", $"{N(WeightKept)} of {N(WeightTotal)} kept (density {Pct(WeightDensity)})");
        Line(sb, "parameters", $"{N(KeptParameters)} of {N(Parameters)} kept (biases and BN count as kept)");
        Line(sb, $"inference FLOPs/image ({input})", $"dense {N(DenseFlops)}, sparse {N(SparseFlops)} ({Ratio(InferenceSpeedup)} fewer)");
        Line(sb, "training FLOPs/image (fwd+bwd)", $"dense {N(DenseTrainingFlops)}, sparse {N(SparseTrainingFlops)} ({Ratio(TrainingSpeedup)} fewer)");
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths, bool[] right)
    {
        for (int c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                sb.Append("  ");
            }

            sb.Append(right[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }

        TrimEnd(sb);
        sb.Append('\n');
    }

    private static void Line(StringBuilder sb, string label, string value) => sb.Append(label).Append(": ").Append(value).Append('\n');

    private static void TrimEnd(StringBuilder sb)
    {
        while (sb.Length > 0 && sb[^1] == ' ')
        {
            sb.Length--;
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Ratio(double value) => double.IsPositiveInfinity(value) ? "∞×" : value.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
