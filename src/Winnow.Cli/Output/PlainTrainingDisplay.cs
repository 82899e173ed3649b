using System.Diagnostics;
using Winnow.NN.Training;

namespace Winnow.Cli.Output;

/// <summary>One line per epoch (and a heartbeat line every 30 s in long epochs) for logs and CI.</summary>
public sealed class PlainTrainingDisplay(TextWriter output) : ITrainingDisplay
{
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();

    public T Run<T>(Func<T> training) => training();

    public void OnStep(StepProgress p)
    {
        if (_sinceLine.Elapsed.TotalSeconds >= 30)
        {
            output.WriteLine(Format.Invariant($"  epoch {p.Epoch + 1}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch}  loss {p.RunningLoss:F4}  acc {p.RunningAccuracy * 100:F2}%  {p.ImagesPerSecond:F0} img/s"));
            output.Flush();
            _sinceLine.Restart();
        }
    }

    public void OnEpoch(EpochMetrics m, int epochs)
    {
        output.WriteLine(Format.EpochLine(m, epochs));
        output.Flush();
        _sinceLine.Restart();
    }

    public void Note(string line)
    {
        output.WriteLine(line);
        output.Flush();
        _sinceLine.Restart();
    }
}
