using Winnow.NN.Schedules;

namespace Winnow.NN.Training;

/// <summary>Settings of the training loop itself (the optimizer and data carry their own).</summary>
public sealed record TrainerOptions
{
    /// <summary>Number of epochs (≥ 1).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Cross-entropy label smoothing ε in [0, 1) (PyTorch's label_smoothing).</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Learning-rate factor schedule; null keeps the optimizer's lr.</summary>
    public ILrSchedule? Schedule { get; init; }

    /// <summary>Step the schedule every batch (t = global step) instead of every epoch (t = epoch, PyTorch's default).</summary>
    public bool SchedulePerStep { get; init; }

    /// <summary>Checks the options, naming the bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be at least 1.");
        }

        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "label smoothing must be in [0, 1).");
        }
    }
}
