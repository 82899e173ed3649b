namespace Winnow.NN.Training;

/// <summary>Metrics of one epoch. Accuracies are top-1 fractions in [0, 1]; null where not measured.</summary>
public sealed record EpochMetrics
{
    public int Epoch { get; init; }

    public double LearningRate { get; init; }

    public double TrainLoss { get; init; }

    public double TrainAccuracy { get; init; }

    public double? TestLoss { get; init; }

    public double? TestAccuracy { get; init; }

    /// <summary>Mean of each extra loss term over the epoch, by name.</summary>
    public IReadOnlyDictionary<string, double> ExtraLosses { get; init; } = new Dictionary<string, double>();

    /// <summary>Wall time of the training part of the epoch (data loading included), seconds.</summary>
    public double TrainSeconds { get; init; }

    /// <summary>Wall time of the evaluation, seconds.</summary>
    public double EvalSeconds { get; init; }

    /// <summary>Training images per second, counting everything in the training loop.</summary>
    public double ImagesPerSecond { get; init; }
}
