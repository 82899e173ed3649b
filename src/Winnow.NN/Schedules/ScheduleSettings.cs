using Winnow.Settings;

namespace Winnow.NN.Schedules;

/// <summary>The learning-rate schedule of a run, stepped per epoch.</summary>
public enum ScheduleKind
{
    [SettingValue("none", "constant learning rate")]
    None,

    [SettingValue("step", "× gamma every step-size epochs")]
    Step,

    [SettingValue("multistep", "× gamma at each of the milestones")]
    Multistep,

    [SettingValue("cosine", "cosine annealing to 0 over the epochs after warm-up")]
    Cosine,
}

/// <summary>The LR-schedule settings of a run and the <see cref="ILrSchedule"/> they build.</summary>
public sealed record ScheduleSettings
{
    [Setting("schedule", "LR schedule per epoch.")]
    public ScheduleKind Schedule { get; init; } = ScheduleKind.None;

    [Setting("step-size", "Epochs between LR drops (schedule step).", Min = 1)]
    public int StepSize { get; init; } = 30;

    [Setting("gamma", "LR drop factor (step, multistep).", Min = 0)]
    public double Gamma { get; init; } = 0.1;

    [Setting("milestones", "Epochs of the LR drops (multistep), e.g. 30,60.", Min = 0)]
    public int[] Milestones { get; init; } = [];

    [Setting("warmup-epochs", "Linear LR warm-up epochs.", Min = 0)]
    public int WarmupEpochs { get; init; }

    /// <summary>The schedule for a run of <paramref name="epochs"/> epochs (null: constant LR).</summary>
    public ILrSchedule? Create(int epochs)
    {
        ILrSchedule? s = Schedule switch
        {
            ScheduleKind.Step => new StepLr(StepSize, Gamma),
            ScheduleKind.Multistep => new MultiStepLr(Milestones, Gamma),
            ScheduleKind.Cosine => new CosineAnnealingLr(Math.Max(1, epochs - WarmupEpochs)),
            _ => null,
        };
        return WarmupEpochs > 0 ? new LinearWarmup(WarmupEpochs, s ?? new ConstantLr()) : s;
    }
}
