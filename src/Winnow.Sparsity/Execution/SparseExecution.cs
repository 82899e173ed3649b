using Winnow.Kernels;
using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.DynamicSparse;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Execution;

/// <summary>
/// Runs the masked Linear/Conv2d layers of a <see cref="MaskSet"/> on the sparse kernels: attaches a
/// <see cref="SparseWeight"/> built from each mask (<see cref="Attach"/>, also at training start),
/// rebuilds the patterns when the masks change (<see cref="MaskSet.Version"/>, checked after every
/// step, i.e. after a Sparse Momentum / SET / RigL update), and decides per step whether layers must
/// produce the dense weight gradient (<see cref="DenseGradientMode"/>). Register it after the hook
/// that updates the masks. Layers with a <see cref="IWeightTransform"/> (edge-popup, CS) are left alone.
/// When the optimizer state of pruned weights is never read (<see cref="PrunedStateUnread"/>) it also
/// makes the optimizer step only the kept weights of the sparse layers (<see cref="Optimizer.SetKeptPattern"/>),
/// which leaves the weights bit-identical to the dense step followed by re-masking. When it is read
/// (Sparse Momentum, SET) the optimizer keeps its dense state update and writes only the kept weights
/// (<see cref="Optimizer.SetKeptWritePattern"/>, SGD), bit-identical to the dense step + re-mask too.
/// Either way the re-mask after the step is skipped (<see cref="MaskSet.ApplyAfterStep"/>).
/// </summary>
public sealed class SparseExecution : ITrainingHook
{
    private readonly List<(MaskTarget Target, SparseWeight Weight)> _layers = [];
    private int _version = -1;
    private Optimizer? _optimizer;

    /// <summary>Creates the hook; nothing is attached until <see cref="Attach"/> or training starts.</summary>
    public SparseExecution(MaskSet masks, SparseKernelMode mode = SparseKernelMode.Auto, DenseGradientMode denseGradient = DenseGradientMode.Exact,
        DynamicSparseOptions? dynamic = null, SparseExecutionPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(masks);
        Masks = masks;
        Mode = mode;
        DenseGradient = denseGradient;
        Dynamic = dynamic;
        Policy = policy ?? new SparseExecutionPolicy();
    }

    public MaskSet Masks { get; }

    public SparseKernelMode Mode { get; }

    public DenseGradientMode DenseGradient { get; }

    /// <summary>The dynamic-sparsity settings whose mask updates need dense gradients in <see cref="DenseGradientMode.Fast"/>; null for static masks.</summary>
    public DynamicSparseOptions? Dynamic { get; }

    public SparseExecutionPolicy Policy { get; }

    /// <summary>
    /// Step only the kept weights of sparse layers when that is equivalent to the dense step
    /// (<see cref="PrunedStateUnread"/>); true by default. False keeps the dense optimizer step.
    /// </summary>
    public bool KeptStep { get; init; } = true;

    /// <summary>True when the optimizer steps only kept weights (after <see cref="UseOptimizer"/> or training start).</summary>
    public bool KeptStepActive => KeptStep && _optimizer is { SupportsKeptStep: true } && Mode != SparseKernelMode.Off && PrunedStateUnread(Dynamic);

    /// <summary>
    /// True when the optimizer keeps its dense state update but writes only kept weights
    /// (<see cref="Optimizer.SetKeptWritePattern"/>): the methods that read the state of pruned weights
    /// (Sparse Momentum, SET) with an optimizer that has it (SGD). Equal to the dense step followed by
    /// re-masking, bit for bit, without the re-mask.
    /// </summary>
    public bool KeptWriteActive => KeptStep && _optimizer is { SupportsKeptWrite: true } && Mode != SparseKernelMode.Off && !PrunedStateUnread(Dynamic);

    /// <summary>
    /// True when no mask update reads the optimizer state (momentum, Adam moments) of pruned weights, so
    /// an optimizer step that leaves that state alone changes nothing observable: static masks
    /// (<paramref name="dynamic"/> null: fine-tuning, lottery tickets), or dynamic sparsity whose growth
    /// and redistribution do not read momentum and which zeroes the state of newly grown weights
    /// (<see cref="DynamicSparseOptions.ResetNewMomentum"/>: RigL, in both gradient modes).
    /// </summary>
    /// <remarks>
    /// Sparse Momentum reads the momentum of zero weights (growth and redistribution), so it keeps the
    /// dense step in both gradient modes. In fast mode the reference semantics would need, at the
    /// dense-gradient step before each update, the pruned momentum decayed by μ once per skipped step
    /// (μ^k·v + g); the dense step gives exactly that, a kept step would freeze v instead. SET as
    /// configured by sparse_learning keeps the momentum of regrown weights (no reset), which then
    /// becomes visible, so it keeps the dense step too unless ResetNewMomentum is set.
    /// </remarks>
    public static bool PrunedStateUnread(DynamicSparseOptions? dynamic)
    {
        if (dynamic is null)
        {
            return true;
        }

        static bool ReadsMomentum(string name) => name.Contains("momentum", StringComparison.OrdinalIgnoreCase);
        return dynamic.ResetNewMomentum && !ReadsMomentum(dynamic.Growth) && !ReadsMomentum(dynamic.Redistribution);
    }

    /// <summary>
    /// Lets <paramref name="optimizer"/> step only the kept weights of the sparse layers when
    /// <see cref="KeptStepActive"/> (the trainer's optimizer is used automatically at training start).
    /// </summary>
    public void UseOptimizer(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ReleaseOptimizer();
        _optimizer = optimizer;
        ApplyKeptStep();
    }

    /// <summary>Per masked layer: its weight name, density and whether it runs sparse (after <see cref="Attach"/>).</summary>
    public IReadOnlyList<(string Name, double Density, bool Sparse)> Choices =>
        _layers.Select(l => (l.Target.Name, l.Weight.Pattern.Density, l.Weight.Enabled)).ToList();

    /// <summary>Builds or rebuilds every layer's pattern from its mask and applies the policy.</summary>
    public void Attach()
    {
        if (_layers.Count == 0 && Mode != SparseKernelMode.Off)
        {
            foreach (var t in Masks.Targets)
            {
                var mask = Masks[t.Name];
                int rows = t.Weight.Dim(0), cols = t.Weight.Length / rows;
                var sw = new SparseWeight(new SparsePattern(rows, cols, mask.Data)) { DenseWeightGradient = DenseGradient == DenseGradientMode.Exact };
                if (t.Layer is Linear lin)
                {
                    lin.Sparse = sw;
                }
                else if (t.Layer is Conv2d conv)
                {
                    conv.Sparse = sw;
                }
                else
                {
                    continue;
                }

                _layers.Add((t, sw));
            }
        }
        else
        {
            foreach (var (t, sw) in _layers)
            {
                sw.Pattern.Rebuild(Masks[t.Name].Data);
            }
        }

        foreach (var (t, sw) in _layers)
        {
            sw.Enabled = Policy.UseSparse(Mode, t.Count, sw.Pattern.Density, t.IsConv);
            sw.InChains = !t.IsConv && Policy.UseSparseInChain(Mode, sw.Pattern.Density);
        }

        _version = Masks.Version;
        ApplyKeptStep();
    }

    /// <summary>Removes the sparse state from the layers (they run dense again).</summary>
    public void Detach()
    {
        ReleaseOptimizer();
        foreach (var (t, _) in _layers)
        {
            if (t.Layer is Linear lin)
            {
                lin.Sparse = null;
            }
            else if (t.Layer is Conv2d conv)
            {
                conv.Sparse = null;
            }
        }

        _layers.Clear();
    }

    /// <inheritdoc/>
    public void OnTrainingStart(TrainingContext context)
    {
        if (!ReferenceEquals(_optimizer, context.Optimizer))
        {
            ReleaseOptimizer();
            _optimizer = context.Optimizer;
        }

        Attach();
        SetDenseGradient(context.GlobalStep, context);
    }

    /// <inheritdoc/>
    public void AfterStep(TrainingContext context)
    {
        if (Masks.Version != _version)
        {
            Attach();
        }

        SetDenseGradient(context.GlobalStep + 1, context);
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        if (Masks.Version != _version)
        {
            Attach();
        }
    }

    /// <summary>Whether the step with index <paramref name="step"/> (0-based global) of a run of <paramref name="epochs"/> × <paramref name="stepsPerEpoch"/> must produce dense weight gradients.</summary>
    public bool NeedsDenseGradient(long step, int epochs, int stepsPerEpoch)
    {
        if (DenseGradient == DenseGradientMode.Exact)
        {
            return true;
        }

        if (Dynamic is null || Dynamic.Growth.Equals("random", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        long t = step + 1;
        if (Dynamic.UpdateEvery > 0)
        {
            return t % Dynamic.UpdateEvery == 0 && t <= Dynamic.StopFraction * ((long)epochs * stepsPerEpoch);
        }

        // Epoch-end updates follow every epoch but the last.
        return stepsPerEpoch > 0 && t % stepsPerEpoch == 0 && t / stepsPerEpoch < epochs;
    }

    private void SetDenseGradient(long step, TrainingContext context)
    {
        bool dense = NeedsDenseGradient(step, context.Epochs, context.StepsPerEpoch);
        foreach (var (_, sw) in _layers)
        {
            sw.DenseWeightGradient = dense;
        }
    }

    private void ApplyKeptStep()
    {
        if (_optimizer is null)
        {
            return;
        }

        bool keptStep = KeptStepActive, keptWrite = KeptWriteActive;
        foreach (var (t, sw) in _layers)
        {
            if (_optimizer.Manages(t.Weight))
            {
                var pattern = sw.Enabled ? sw.Pattern : null;
                if (keptWrite)
                {
                    _optimizer.SetKeptWritePattern(t.Weight, pattern);
                }
                else
                {
                    _optimizer.SetKeptPattern(t.Weight, keptStep ? pattern : null);
                }

                Masks.MarkKeptStep(t.Name, (keptStep || keptWrite) && sw.Enabled);
            }
        }
    }

    private void ReleaseOptimizer()
    {
        if (_optimizer is null)
        {
            return;
        }

        foreach (var (t, _) in _layers)
        {
            if (_optimizer.Manages(t.Weight))
            {
                _optimizer.SetKeptPattern(t.Weight, null);
                Masks.MarkKeptStep(t.Name, false);
            }
        }

        _optimizer = null;
    }
}
