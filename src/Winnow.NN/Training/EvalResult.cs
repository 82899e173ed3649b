namespace Winnow.NN.Training;

/// <summary>Loss (mean over samples) and top-1 accuracy of a model on a dataset.</summary>
public readonly record struct EvalResult(double Loss, double Accuracy, int Samples, double Seconds)
{
    /// <summary>Images per second during evaluation.</summary>
    public double ImagesPerSecond => Seconds > 0 ? Samples / Seconds : 0;
}
