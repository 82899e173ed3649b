using System.Diagnostics;
using Spectre.Console;
using Winnow.NN.Training;

namespace Winnow.Cli.Output;

/// <summary>Spectre.Console progress bar with ETA, throughput, loss and accuracy.</summary>
public sealed class LiveTrainingDisplay(IAnsiConsole console) : ITrainingDisplay
{
    private ProgressTask? _task;
    private readonly Stopwatch _throttle = Stopwatch.StartNew();

    public T Run<T>(Func<T> training)
    {
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                _task = ctx.AddTask("starting", maxValue: 1);
                result = training();
            });
        return result;
    }

    public void OnStep(StepProgress p)
    {
        if (_task is null)
        {
            return;
        }

        _task.MaxValue = (double)p.Epochs * p.StepsPerEpoch;
        _task.Value = (double)p.Epoch * p.StepsPerEpoch + p.Step;
        if (_throttle.ElapsedMilliseconds >= 200 || p.Step == p.StepsPerEpoch)
        {
            _task.Description = Format.Invariant($"epoch {p.Epoch + 1}/{p.Epochs}  loss {p.RunningLoss:F4}  acc {p.RunningAccuracy * 100:F1}%  {p.ImagesPerSecond:F0} img/s");
            _throttle.Restart();
        }
    }

    public void OnEpoch(EpochMetrics m, int epochs)
    {
        console.MarkupLine(Markup.Escape(Format.EpochLine(m, epochs)));
    }

    public void Note(string line) => console.MarkupLine(Markup.Escape(line));
}
