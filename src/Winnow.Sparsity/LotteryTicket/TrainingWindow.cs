using Winnow.NN.Schedules;
using Winnow.NN.Training;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// The part of the schedule a retraining run covers: from global step <see cref="StartStep"/> to
/// the end, with the LR schedule and data order of the full run at those steps (open_lth retrains
/// from the rewind step with the schedule resumed there). A start inside an epoch begins at that
/// epoch and skips its first <see cref="SkipBatches"/> batches.
/// </summary>
public sealed record TrainingWindow
{
    private TrainingWindow(long startStep, int stepsPerEpoch, TrainerOptions options)
    {
        StartStep = startStep;
        StartEpoch = (int)(startStep / stepsPerEpoch);
        SkipBatches = (int)(startStep % stepsPerEpoch);
        Options = options;
    }

    /// <summary>First global step trained.</summary>
    public long StartStep { get; }

    /// <summary>The epoch the run starts in.</summary>
    public int StartEpoch { get; }

    /// <summary>Batches of <see cref="StartEpoch"/> already done before <see cref="StartStep"/>.</summary>
    public int SkipBatches { get; }

    /// <summary>Trainer options for this window (the schedule shifted or frozen as needed).</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// The window from <paramref name="startStep"/> to the end of <paramref name="training"/>'s schedule.
    /// With <paramref name="finalLearningRate"/>, the schedule is replaced by its last factor (fine-tuning).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="startStep"/> is not before the last step.</exception>
    public static TrainingWindow From(long startStep, LotteryTraining training, bool finalLearningRate = false)
    {
        if (startStep < 0 || startStep >= training.TotalSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(startStep), startStep, $"The rewind point (step {startStep}) must be before the end of training ({training.TotalSteps} steps = {training.Options.Epochs} epochs × {training.StepsPerEpoch} batches).");
        }

        var options = training.Options;
        int skip = (int)(startStep % training.StepsPerEpoch);
        if (options.Schedule is { } schedule)
        {
            if (finalLearningRate)
            {
                int last = options.SchedulePerStep ? (int)training.TotalSteps - 1 : options.Epochs - 1;
                options = options with { Schedule = new ConstantLr(schedule.Factor(last)), SchedulePerStep = false };
            }
            else if (options.SchedulePerStep && skip > 0)
            {
                options = options with { Schedule = new ShiftedSchedule(schedule, skip) };
            }
        }

        return new TrainingWindow(startStep, training.StepsPerEpoch, options);
    }

    /// <summary>Steps this window trains out of <paramref name="totalSteps"/>.</summary>
    public long Steps(long totalSteps) => totalSteps - StartStep;

    /// <summary>The batches of an epoch with the already-done batches of the first epoch skipped.</summary>
    public Func<int, IEnumerable<LabeledBatch>> Batches(Func<int, IEnumerable<LabeledBatch>> trainEpoch)
        => epoch => epoch == StartEpoch && SkipBatches > 0 ? trainEpoch(epoch).Skip(SkipBatches) : trainEpoch(epoch);
}
