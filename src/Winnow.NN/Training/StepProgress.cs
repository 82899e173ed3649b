namespace Winnow.NN.Training;

/// <summary>Progress report after each training step (for progress bars; the library never prints).</summary>
public readonly record struct StepProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double RunningLoss, double RunningAccuracy, double ImagesPerSecond);
