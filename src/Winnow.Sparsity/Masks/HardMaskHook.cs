using Winnow.NN.Training;

namespace Winnow.Sparsity.Masks;

/// <summary>
/// Keeps pruned weights exactly zero during training: applies the masks when training starts and
/// after every optimizer step (momentum and weight decay would otherwise revive them). Gradients
/// stay dense, as Sparse Momentum and RigL require. Weights whose optimizer steps only kept positions
/// (sparse execution's kept step) are skipped after a step: <see cref="MaskSet.ApplyAfterStep"/>.
/// </summary>
public sealed class HardMaskHook(MaskSet masks) : ITrainingHook
{
    public MaskSet Masks { get; } = masks;

    public void OnTrainingStart(TrainingContext context) => Masks.Apply();

    public void AfterStep(TrainingContext context) => Masks.ApplyAfterStep();
}
