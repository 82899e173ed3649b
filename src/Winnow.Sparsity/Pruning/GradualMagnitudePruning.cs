using Winnow.NN.Training;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Pruning;

/// <summary>
/// Gradual magnitude pruning (Zhu &amp; Gupta 2017, "To prune, or not to prune"; RigL's "prune"
/// baseline, ALGORITHMS.md §4.1). Target sparsity at step t:
/// s_t = s_f + (s_i − s_f)·(1 − p)³ with p = clamp((t − t0)/(t_end − t0), 0, 1) (TensorFlow
/// model_pruning's form: s_i before t0, s_f after t_end). At every step t with t0 ≤ t ≤ t_end and
/// (t − t0) mod Δt = 0 the masks are recomputed by |w| to density 1 − s_t with the distribution
/// (default <see cref="UniformDistribution"/>, k_l = round((1 − s_t)·n_l) as TF's
/// <c>round(size·(1 − sparsity))</c>; pass <see cref="GlobalDistribution"/> for one global threshold);
/// nothing is pruned before t0. As a hard-mask hook it applies the masks when training starts and
/// after every optimizer step, so pruned weights stay exactly zero while gradients stay dense.
/// <para>
/// t is <see cref="TrainingContext.GlobalStep"/> in <see cref="AfterStep"/> (0-based index of the
/// step just taken). s_f is reached only if (t_end − t0) is a multiple of Δt, as in the reference;
/// <see cref="PruneAtEnd"/> adds a prune at t_end otherwise. Differences from TF model_pruning:
/// pruned weights are zeroed (TF keeps the raw variable behind the mask) and never revived (only
/// kept weights are candidates), and the threshold is not smoothed (TF's default decay 0 is the same).
/// </para>
/// <para>RigL MNIST defaults (<see cref="RigLMnist"/>): t0 = 2,000, t_end = 30,000, Δt = 500, s_i = 0, s_f = 0.98.</para>
/// </summary>
public sealed class GradualMagnitudePruning : ITrainingHook
{
    /// <summary>RigL's MNIST <c>begin_pruning_step</c>.</summary>
    public const long RigLMnistBeginStep = 2_000;

    /// <summary>RigL's MNIST <c>end_pruning_step</c>.</summary>
    public const long RigLMnistEndStep = 30_000;

    /// <summary>RigL's MNIST <c>pruning_frequency</c>.</summary>
    public const int RigLMnistFrequency = 500;

    /// <summary>RigL's MNIST final sparsity (end_sparsity).</summary>
    public const double RigLMnistFinalSparsity = 0.98;

    private static readonly MagnitudeCriterion Magnitude = new();

    /// <summary>Creates the schedule for <paramref name="masks"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A sparsity is outside [0, 1), initial &gt; final,
    /// <paramref name="beginStep"/> &lt; 0 or ≥ <paramref name="endStep"/>, or <paramref name="frequency"/> ≤ 0.</exception>
    public GradualMagnitudePruning(MaskSet masks, double initialSparsity, double finalSparsity, long beginStep, long endStep, int frequency, IDensityDistribution? distribution = null)
    {
        ArgumentNullException.ThrowIfNull(masks);
        SparsityChecks.Sparsity(initialSparsity, "initial sparsity");
        SparsityChecks.Sparsity(finalSparsity, "final sparsity");
        if (initialSparsity > finalSparsity)
        {
            throw new ArgumentOutOfRangeException(nameof(initialSparsity), initialSparsity,
                $"The initial sparsity ({SparsityChecks.Show(initialSparsity)}) must not exceed the final sparsity ({SparsityChecks.Show(finalSparsity)}): gradual pruning only removes weights.");
        }

        if (beginStep < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(beginStep), beginStep, $"The begin step must be ≥ 0; got {beginStep}.");
        }

        if (beginStep >= endStep)
        {
            throw new ArgumentOutOfRangeException(nameof(endStep), endStep,
                $"The end step ({endStep}) must be after the begin step ({beginStep}); RigL's MNIST schedule prunes from step {RigLMnistBeginStep} to {RigLMnistEndStep}.");
        }

        if (frequency <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frequency), frequency, $"The pruning frequency must be a positive number of steps (RigL's MNIST default is {RigLMnistFrequency}); got {frequency}.");
        }

        Masks = masks;
        InitialSparsity = initialSparsity;
        FinalSparsity = finalSparsity;
        BeginStep = beginStep;
        EndStep = endStep;
        Frequency = frequency;
        Distribution = distribution ?? new UniformDistribution();
    }

    public MaskSet Masks { get; }

    /// <summary>s_i.</summary>
    public double InitialSparsity { get; }

    /// <summary>s_f.</summary>
    public double FinalSparsity { get; }

    /// <summary>t0.</summary>
    public long BeginStep { get; }

    /// <summary>t_end.</summary>
    public long EndStep { get; }

    /// <summary>Δt, steps between mask updates.</summary>
    public int Frequency { get; }

    /// <summary>Where the kept weights go at each update.</summary>
    public IDensityDistribution Distribution { get; }

    /// <summary>Also prune at t_end when (t_end − t0) is not a multiple of Δt (default false, the reference).</summary>
    public bool PruneAtEnd { get; init; }

    /// <summary>The result of the last mask update, or null before the first.</summary>
    public PruneReport? LastReport { get; private set; }

    /// <summary>The step of the last mask update, or null before the first.</summary>
    public long? LastPruneStep { get; private set; }

    /// <summary>RigL's MNIST schedule: 0 → <paramref name="finalSparsity"/> (default 0.98) from step 2,000 to 30,000, every 500 steps.</summary>
    public static GradualMagnitudePruning RigLMnist(MaskSet masks, double finalSparsity = RigLMnistFinalSparsity, IDensityDistribution? distribution = null)
        => new(masks, 0, finalSparsity, RigLMnistBeginStep, RigLMnistEndStep, RigLMnistFrequency, distribution);

    /// <summary>s_t = s_f + (s_i − s_f)·(1 − p)³, p = clamp((t − t0)/(t_end − t0), 0, 1).</summary>
    public double SparsityAt(long step)
    {
        double p = Math.Clamp((double)(step - BeginStep) / (EndStep - BeginStep), 0, 1);
        double r = 1 - p;
        return FinalSparsity + (InitialSparsity - FinalSparsity) * r * r * r;
    }

    /// <summary>Whether the masks are recomputed after step <paramref name="step"/>.</summary>
    public bool IsPruningStep(long step)
        => step >= BeginStep && step <= EndStep && ((step - BeginStep) % Frequency == 0 || (PruneAtEnd && step == EndStep));

    /// <inheritdoc/>
    public void OnTrainingStart(TrainingContext context) => Masks.Apply();

    /// <inheritdoc/>
    public void AfterStep(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        long t = context.GlobalStep;
        if (IsPruningStep(t))
        {
            LastReport = Pruner.Prune(Masks, Magnitude, Distribution, 1 - SparsityAt(t), respectExisting: true);
            LastPruneStep = t;
        }
        else
        {
            // Skips weights that sparse execution's kept step left masked (a full apply follows any mask change).
            Masks.ApplyAfterStep();
        }
    }
}
