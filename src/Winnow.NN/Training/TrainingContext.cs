using Winnow.NN.Optim;

namespace Winnow.NN.Training;

/// <summary>What hooks and loss terms see of the running loop.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(Module model, Optimizer optimizer, int epochs, int stepsPerEpoch)
    {
        Model = model;
        Optimizer = optimizer;
        Epochs = epochs;
        StepsPerEpoch = stepsPerEpoch;
    }

    public Module Model { get; }

    public Optimizer Optimizer { get; }

    /// <summary>Total number of epochs of the run.</summary>
    public int Epochs { get; }

    /// <summary>Mini-batches per training epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Current epoch (0-based).</summary>
    public int Epoch { get; internal set; }

    /// <summary>Step within the epoch (0-based).</summary>
    public int StepInEpoch { get; internal set; }

    /// <summary>Steps completed since the start of training (0-based index of the current step).</summary>
    public long GlobalStep { get; internal set; }

    /// <summary>Total steps of the run.</summary>
    public long TotalSteps => (long)Epochs * StepsPerEpoch;

    /// <summary>The current batch's task loss (before extra terms), valid after the forward pass.</summary>
    public float TaskLoss { get; internal set; }
}
