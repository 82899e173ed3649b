using Winnow.NN;
using Winnow.NN.Training;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// The dynamic-sparsity orchestrator, a training hook (Sparse Momentum, SET and RigL are settings of
/// <see cref="DynamicSparseOptions"/>). Per mini-batch (ALGORITHMS.md §2.4): dense forward/backward and
/// optimiser step over all parameters, then w ← w ⊙ M; the schedule is read at t = completed steps.
/// Mask updates (<see cref="MaskUpdater"/>) run every <see cref="DynamicSparseOptions.UpdateEvery"/> steps
/// while t ≤ StopFraction·T, or (UpdateEvery = 0) at the end of every epoch but the last, after evaluation,
/// with p(e·B) — so the final model keeps the mask of epoch E−1 (§2.13 item 10).
/// </summary>
public sealed class DynamicSparsity : ITrainingHook
{
    private readonly MaskUpdater _updater;
    private readonly IPruneRateSchedule _schedule;
    private bool _initialised;

    /// <summary>Masks the conv/linear weights of <paramref name="model"/> picked by <paramref name="selection"/>.</summary>
    /// <exception cref="ArgumentException">Unknown strategy or init name, density outside (0, 1], or an er-search ε out of reach.</exception>
    public DynamicSparsity(Module model, DynamicSparseOptions options, MaskableSelection? selection = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Density > 0 && options.Density <= 1))
        {
            throw new ArgumentException($"Density must be in (0, 1]; got {options.Density}.", nameof(options));
        }

        Options = options;
        Masks = new MaskSet(model, selection);
        var rng = new Rng(options.Seed);
        InitSearch = MaskInitializer.Initialize(Masks, options.Init, options.Density, options.BernoulliInit, rng);
        _schedule = DynamicSparseMethods.Schedule(options);
        _updater = new MaskUpdater(Masks, options, rng);
    }

    /// <summary>The settings.</summary>
    public DynamicSparseOptions Options { get; }

    /// <summary>The live masks.</summary>
    public MaskSet Masks { get; }

    /// <summary>ε and search passes of an er-search init (<see cref="ErEpsilonSearch"/>); null for the other inits.</summary>
    public (double Epsilon, int Iterations)? InitSearch { get; }

    /// <summary>Every mask update so far.</summary>
    public List<MaskUpdateReport> Updates { get; } = [];

    /// <summary>Raised after each mask update.</summary>
    public event Action<MaskUpdateReport>? Updated;

    /// <summary>The prune rate after <paramref name="step"/> of <paramref name="totalSteps"/> steps.</summary>
    public double PruneRate(long step, long totalSteps) => _schedule.Rate(step, totalSteps);

    /// <inheritdoc/>
    public void OnTrainingStart(TrainingContext context)
    {
        if (!_initialised)
        {
            Masks.Apply();
            _initialised = true;
        }
    }

    /// <inheritdoc/>
    public void AfterStep(TrainingContext context)
    {
        Masks.ApplyAfterStep();
        long t = context.GlobalStep + 1;
        if (Options.UpdateEvery > 0 && t % Options.UpdateEvery == 0 && t <= Options.StopFraction * context.TotalSteps)
        {
            RunUpdate(context, t);
        }
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        if (Options.UpdateEvery == 0 && context.Epoch < context.Epochs - 1)
        {
            RunUpdate(context, (long)(context.Epoch + 1) * context.StepsPerEpoch);
        }
    }

    /// <summary>Runs one mask update now with p read at step <paramref name="step"/> (exposed for tests).</summary>
    public MaskUpdateReport RunUpdate(TrainingContext? context, long step, long? totalSteps = null, NN.Optim.Optimizer? optimizer = null)
    {
        long total = totalSteps ?? context?.TotalSteps ?? step;
        var report = _updater.Update(optimizer ?? context?.Optimizer, _schedule.Rate(step, total), step, context?.Epoch ?? 0);
        Updates.Add(report);
        Updated?.Invoke(report);
        return report;
    }
}
