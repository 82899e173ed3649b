using System.Globalization;
using Winnow.NN.Training;

namespace Winnow.Cli.Output;

/// <summary>Invariant-culture formatting shared by the displays.</summary>
public static class Format
{
    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Last-epoch and best-epoch test (or validation) accuracy of a run; NaN for both when no epoch ran.</summary>
    public static (double Last, double Best) LastAndBest(IReadOnlyList<EpochMetrics> history)
        => history.Count > 0 ? (history[^1].TestAccuracy ?? double.NaN, history.Max(h => h.TestAccuracy ?? 0)) : (double.NaN, double.NaN);

    public static string EpochLine(EpochMetrics m, int epochs)
    {
        string test = m.TestAccuracy is double acc ? Invariant($"  test loss {m.TestLoss:F4}  test acc {acc * 100:F2}%") : "";
        return Invariant($"epoch {m.Epoch + 1}/{epochs}  lr {m.LearningRate:G4}  train loss {m.TrainLoss:F4}  train acc {m.TrainAccuracy * 100:F2}%{test}  {m.ImagesPerSecond:F0} img/s  ({m.TrainSeconds:F1}s + eval {m.EvalSeconds:F1}s)");
    }
}
