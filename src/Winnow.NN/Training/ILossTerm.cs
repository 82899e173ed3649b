namespace Winnow.NN.Training;

/// <summary>An extra differentiable term added to the task loss each step (e.g. Continuous Sparsification's λ·Σσ(βs)).</summary>
public interface ILossTerm
{
    /// <summary>Short name used in metrics (e.g. "mask_penalty").</summary>
    string Name { get; }

    /// <summary>The term for this step, a shape-[] tensor recorded in the graph; null to skip this step.</summary>
    Tensor? Compute(TrainingContext context);
}
