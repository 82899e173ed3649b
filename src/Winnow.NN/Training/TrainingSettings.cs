using Winnow.NN.Schedules;
using Winnow.Settings;

namespace Winnow.NN.Training;

/// <summary>The training-loop settings of a run (`epochs`, `label-smoothing`, `seed`).</summary>
public sealed record TrainingSettings
{
    [Setting("epochs", "Number of training epochs.", Min = 1)]
    public int Epochs { get; init; } = 5;

    [Setting("label-smoothing", "Cross-entropy label smoothing.", Min = 0, Max = 1, MaxExclusive = true)]
    public double LabelSmoothing { get; init; }

    [Setting("seed", "Random seed (weights, data order, augmentation, dropout, masks).")]
    public ulong Seed { get; init; }

    /// <summary>The trainer options for these settings and <paramref name="schedule"/>.</summary>
    public TrainerOptions ToTrainerOptions(ILrSchedule? schedule) => new() { Epochs = Epochs, LabelSmoothing = (float)LabelSmoothing, Schedule = schedule };
}
