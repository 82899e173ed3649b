using Winnow.Autograd;

namespace Winnow.NN.Optim;

/// <summary>
/// Base of every optimizer: owns the parameter groups, clears gradients and runs one update per
/// parameter that has a gradient (tinygrad <c>nn/optim.py</c> style: a subclass overrides
/// <see cref="Update"/> only). Per-parameter state is created lazily on a parameter's first update and
/// reused afterwards, so steady-state steps allocate nothing.
/// </summary>
/// <remarks>
/// <para>Learning rates: each group keeps its current <see cref="ParamGroup.Lr"/> and its
/// <see cref="ParamGroup.InitialLr"/>. A schedule calls <see cref="SetLrFactor"/> with a factor f, which
/// sets <c>lr_g = initial_lr_g · f</c> for every group g, keeping the groups' ratio (as PyTorch's
/// LR schedulers scale each group's <c>initial_lr</c>).</para>
/// <para>Parameters whose <see cref="Tensor.Grad"/> is null (no gradient since the last
/// <see cref="ZeroGrad"/>) are skipped: no update, no state, no step count (PyTorch semantics).</para>
/// <para>Checkpoint keys use the parameter's <see cref="Tensor.Name"/> (set by
/// <see cref="Module.NameTensors"/>) or <c>param{i}</c> (i = position over all groups) when it is null.</para>
/// </remarks>
public abstract partial class Optimizer
{
    private readonly ParamGroup[] _groups;
    private readonly Parameter[] _parameters;
    private readonly HashSet<Parameter> _managed = new(ReferenceEqualityComparer.Instance);
    private readonly float[][] _scratch = [[], [], [], [], []];
    private readonly int _maxLength;

    /// <summary>Resolves the groups' learning rate and weight decay against the defaults and validates them.</summary>
    /// <param name="groups">Parameter groups; each parameter may appear once over all groups.</param>
    /// <param name="lr">Default learning rate (≥ 0).</param>
    /// <param name="weightDecay">Default weight decay (≥ 0).</param>
    /// <exception cref="ArgumentException">No parameters, a parameter in two groups, or an option out of range.</exception>
    protected Optimizer(IEnumerable<ParamGroup> groups, double lr, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups.ToArray();
        string who = GetType().Name;
        OptimizerChecks.NonNegative(who, "lr", lr, "optimizer default", "Pass a non-negative learning rate, e.g. 0.1 for SGD or 1e-3 for Adam.");
        OptimizerChecks.NonNegative(who, "weight_decay", weightDecay, "optimizer default", "Use 0 for no weight decay, e.g. 5e-4 for SGD on CIFAR.");

        var all = new List<Parameter>();
        for (int gi = 0; gi < _groups.Length; gi++)
        {
            var g = _groups[gi] ?? throw new ArgumentNullException(nameof(groups), $"{who}: parameter group {gi} is null.");
            foreach (var p in g.Params)
            {
                if (!_managed.Add(p))
                {
                    throw new ArgumentException(
                        $"{who}: parameter '{p.Name ?? "(unnamed)"}' {Tensor.ShapeString(p.Shape)} appears more than once ({g.Describe(gi)}); each parameter may belong to one group only.",
                        nameof(groups));
                }

                all.Add(p);
            }

            g.Lr ??= lr;
            g.InitialLr ??= g.Lr;
            g.WeightDecay ??= weightDecay;
            OptimizerChecks.NonNegative(who, "lr", g.Lr.Value, g.Describe(gi), "Learning rates must be ≥ 0.");
            OptimizerChecks.NonNegative(who, "initial_lr", g.InitialLr.Value, g.Describe(gi), "Learning rates must be ≥ 0.");
            OptimizerChecks.NonNegative(who, "weight_decay", g.WeightDecay.Value, g.Describe(gi), "Use 0 for no weight decay.");
        }

        if (all.Count == 0)
        {
            throw new ArgumentException($"{who} got an empty parameter list: pass model.Parameters() or non-empty parameter groups.", nameof(groups));
        }

        _parameters = [.. all];
        _maxLength = all.Max(p => p.Length);
    }

    /// <summary>The parameter groups, in the order given.</summary>
    public IReadOnlyList<ParamGroup> Groups => _groups;

    /// <summary>All managed parameters, group by group.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>
    /// The current learning rate of the first group. Setting it assigns the value to every group's
    /// current lr (their ratio is lost; <see cref="ParamGroup.InitialLr"/> is unchanged, so the next
    /// <see cref="SetLrFactor"/> overrides it). Use <see cref="SetLrFactor"/> to keep per-group ratios.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public double Lr
    {
        get => ParamGroup.Require(_groups[0].Lr, "lr");
        set
        {
            OptimizerChecks.NonNegative(GetType().Name, "lr", value, "Optimizer.Lr setter", "Learning rates must be ≥ 0.");
            foreach (var g in _groups)
            {
                g.Lr = value;
            }
        }
    }

    /// <summary>The factor last passed to <see cref="SetLrFactor"/> (1 until then).</summary>
    public double LrFactor { get; private set; } = 1.0;

    /// <summary>Sets every group's lr to <c>InitialLr · factor</c> (what an <c>ILrSchedule</c> returns).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative or not finite.</exception>
    public void SetLrFactor(double factor)
    {
        OptimizerChecks.NonNegative(GetType().Name, "lr factor", factor, "SetLrFactor", "Schedules return factors ≥ 0 of each group's initial lr.");
        LrFactor = factor;
        foreach (var g in _groups)
        {
            g.Lr = ParamGroup.Require(g.InitialLr, "initial_lr") * factor;
        }
    }

    /// <summary>Forgets the gradient of every managed parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Applies one update to every managed parameter that has a gradient, outside autograd.</summary>
    public void Step()
    {
        using (GradMode.NoGrad())
        {
            foreach (var g in _groups)
            {
                foreach (var p in g.Params)
                {
                    var grad = p.Grad;
                    if (grad is not null)
                    {
                        StepParameter(g, p, grad.Data);
                    }
                }
            }
        }
    }

    /// <summary>True when <paramref name="parameter"/> belongs to one of this optimizer's groups.</summary>
    public bool Manages(Parameter parameter) => _managed.Contains(parameter);

    /// <summary>
    /// Updates <paramref name="parameter"/>'s values in place from its gradient <paramref name="grad"/>
    /// (same length), using <paramref name="group"/>'s options. Must not modify the gradient.
    /// </summary>
    protected abstract void Update(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad);

    /// <summary>
    /// A reusable work buffer (slot 0 to 4) of <paramref name="length"/> elements, allocated once at
    /// the size of the largest parameter. Contents are undefined on entry; valid until the next call
    /// with the same slot.
    /// </summary>
    protected Span<float> Scratch(int slot, int length)
    {
        if (_scratch[slot].Length < _maxLength)
        {
            _scratch[slot] = new float[_maxLength];
        }

        return _scratch[slot].AsSpan(0, length);
    }

    /// <summary>Throws unless <paramref name="parameter"/> is managed by this optimizer.</summary>
    /// <exception cref="ArgumentException">The parameter is not in any group.</exception>
    protected void CheckManaged(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (!_managed.Contains(parameter))
        {
            throw new ArgumentException(
                $"{GetType().Name}: parameter '{parameter.Name ?? "(unnamed)"}' {Tensor.ShapeString(parameter.Shape)} is not managed by this optimizer; pass a parameter from one of its groups.",
                nameof(parameter));
        }
    }
}
