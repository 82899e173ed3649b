using Winnow.NN.Training;

namespace Winnow.Cli.Output;

/// <summary>Renders a training run: live bars on a terminal, plain lines otherwise.</summary>
public interface ITrainingDisplay
{
    /// <summary>Runs <paramref name="training"/> while displaying its progress.</summary>
    T Run<T>(Func<T> training);

    /// <summary>Called after each step (throttled by the display).</summary>
    void OnStep(StepProgress progress);

    /// <summary>Called after each epoch.</summary>
    void OnEpoch(EpochMetrics metrics, int epochs);

    /// <summary>Prints one line above the progress (e.g. "level 3/8: density 51.20%").</summary>
    void Note(string line);
}
