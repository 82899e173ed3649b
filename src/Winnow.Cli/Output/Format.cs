using System.Globalization;
using Winnow.NN.Training;

namespace Winnow.Cli.Output;

/// <summary>Invariant-culture formatting shared by the displays.</summary>
public static class Format
{
    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public static string EpochLine(EpochMetrics m, int epochs)
    {
        string test = m.TestAccuracy is double acc ? Invariant($"  test loss {m.TestLoss:F4}  test acc {acc * 100:F2}%") : "";
        return Invariant($"epoch {m.Epoch + 1}/{epochs}  lr {m.LearningRate:G4}  train loss {m.TrainLoss:F4}  train acc {m.TrainAccuracy * 100:F2}%{test}  {m.ImagesPerSecond:F0} img/s  ({m.TrainSeconds:F1}s + eval {m.EvalSeconds:F1}s)");
    }
}
