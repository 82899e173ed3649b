namespace Winnow.NN.Training;

/// <summary>The loss became NaN or infinite; training stopped before the optimizer applied it.</summary>
public sealed class TrainingDivergedException(int epoch, int step, float loss)
    : Exception($"The training loss became {loss} at epoch {epoch + 1}, step {step + 1}; training stopped before this step was applied. Try a lower learning rate (e.g. half of it), gradient-friendly settings (weight decay, warm-up), or check the input normalisation. The last good checkpoint is unchanged.")
{
    public int Epoch { get; } = epoch;

    public int Step { get; } = step;

    public float Loss { get; } = loss;
}
