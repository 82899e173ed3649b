namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// HOW MUCH to drop (rigl's schedule axis): the fraction of a layer's active weights removed (and
/// regrown) at a mask update, as a function of the completed optimiser steps t of T in total.
/// Sparse Momentum steps it once per mini-batch and reads p(e·B) at the end of epoch e (ALGORITHMS.md §2.6).
/// </summary>
public interface IPruneRateSchedule
{
    /// <summary>Registry name ("cosine", "linear", "constant").</summary>
    string Name { get; }

    /// <summary>The prune rate after <paramref name="step"/> of <paramref name="totalSteps"/> optimiser steps.</summary>
    double Rate(long step, long totalSteps);
}
