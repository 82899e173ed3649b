namespace Winnow.NN.Training;

/// <summary>Loss (mean over samples) and top-1 accuracy of a model on a dataset.</summary>
/// <param name="Loss">Mean cross-entropy over the samples.</param>
/// <param name="Accuracy">Top-1 accuracy in [0, 1].</param>
/// <param name="Samples">Images evaluated.</param>
/// <param name="Seconds">Wall time of the whole evaluation: producing the batches and the model.</param>
/// <param name="ForwardSamples">Images in the batches after the first (the first warms up code and buffers).</param>
/// <param name="ForwardSeconds">Time inside the model's forward pass for those batches.</param>
public readonly record struct EvalResult(double Loss, double Accuracy, int Samples, double Seconds, int ForwardSamples = 0, double ForwardSeconds = 0)
{
    /// <summary>Images per second during evaluation, end to end (batch production included).</summary>
    public double ImagesPerSecond => Seconds > 0 ? Samples / Seconds : 0;

    /// <summary>
    /// Images per second of the model's forward pass alone, after the first batch (0 with a single
    /// batch): the inference speed, without data loading and one-time warm-up.
    /// </summary>
    public double ForwardImagesPerSecond => ForwardSeconds > 0 ? ForwardSamples / ForwardSeconds : 0;
}
