using Winnow.NN.Training;

namespace Winnow.Sparsity.Masks;

/// <summary>
/// Keeps pruned weights exactly zero during training: applies the masks when training starts and
/// after every optimizer step (momentum and weight decay would otherwise revive them). Gradients
/// stay dense, as Sparse Momentum and RigL require.
/// </summary>
public sealed class HardMaskHook(MaskSet masks) : ITrainingHook
{
    public MaskSet Masks { get; } = masks;

    public void OnTrainingStart(TrainingContext context) => Masks.Apply();

    public void AfterStep(TrainingContext context) => Masks.Apply();
}
