using System.Numerics.Tensors;

namespace Winnow.NN.Optim;

/// <summary>
/// Stochastic gradient descent with optional (Nesterov) momentum, dampening and L2 weight decay,
/// reproducing PyTorch's <c>torch.optim.SGD</c> exactly. Per parameter with gradient g and weights w:
/// <code>
/// d = g + λ·w                               (weight decay λ)
/// first step:  v = d                        (a copy of d, not 0; dampening not applied)
/// later steps: v ← μ·v + (1 − dampening)·d
/// direction  = d + μ·v  if nesterov, else v (μ = 0: direction = d, no buffer kept)
/// w ← w − lr·direction
/// </code>
/// The momentum buffer v is exposed raw through <see cref="IHasMomentum"/> and saved as
/// <c>{name}.momentum_buffer</c>.
/// </summary>
/// <remarks>Exceptions: <see cref="ArgumentOutOfRangeException"/> for lr &lt; 0, momentum outside [0, 1),
/// dampening outside [0, 1], weight decay &lt; 0; <see cref="ArgumentException"/> for Nesterov without
/// momentum or with dampening, and for Adam-only options set on a group.</remarks>
public sealed class Sgd : Optimizer, IHasMomentum
{
    private const string MomentumKey = "momentum_buffer";
    private readonly Dictionary<Parameter, Tensor> _buffers = new(ReferenceEqualityComparer.Instance);

    /// <summary>SGD over one group of <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range (see the type remarks).</exception>
    public Sgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : this(new[] { new ParamGroup(parameters) }, lr, momentum, dampening, nesterov, weightDecay)
    {
    }

    /// <summary>SGD over parameter groups; each group option left null takes the default given here.</summary>
    /// <exception cref="ArgumentException">An option is out of range (see the type remarks).</exception>
    public Sgd(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : base(groups, lr, weightDecay)
    {
        Check(momentum, dampening, nesterov, "optimizer default");
        for (int gi = 0; gi < Groups.Count; gi++)
        {
            var g = Groups[gi];
            string where = g.Describe(gi);
            OptimizerChecks.Unused(nameof(Sgd), "beta1", g.Beta1, where);
            OptimizerChecks.Unused(nameof(Sgd), "beta2", g.Beta2, where);
            OptimizerChecks.Unused(nameof(Sgd), "eps", g.Eps, where);
            g.Momentum ??= momentum;
            g.Dampening ??= dampening;
            g.Nesterov ??= nesterov;
            Check(g.Momentum.Value, g.Dampening.Value, g.Nesterov.Value, where);
        }
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> BufferStateKeys { get; } = [MomentumKey];

    /// <inheritdoc/>
    public Tensor? GetMomentumBuffer(Parameter parameter)
    {
        CheckManaged(parameter);
        return _buffers.GetValueOrDefault(parameter);
    }

    /// <inheritdoc/>
    public void ResetMomentum(Parameter parameter, ReadOnlySpan<bool> where)
    {
        CheckManaged(parameter);
        if (where.Length != parameter.Length)
        {
            throw new ArgumentException($"ResetMomentum: mask has {where.Length} elements but parameter '{parameter.Name ?? "(unnamed)"}' has {parameter.Length}.", nameof(where));
        }

        if (_buffers.TryGetValue(parameter, out var buffer))
        {
            var v = buffer.Data;
            for (int i = 0; i < v.Length; i++)
            {
                if (where[i])
                {
                    v[i] = 0f;
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad)
    {
        var w = parameter.Data;
        float lr = (float)ParamGroup.Require(group.Lr, "lr");
        TensorPrimitives.MultiplyAdd(Direction(group, parameter, grad), -lr, w, w);
    }

    /// <inheritdoc/>
    public override bool SupportsKeptWrite => true;

    /// <inheritdoc/>
    protected override void UpdateKeptWrite(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad, ReadOnlySpan<int> kept)
    {
        var w = parameter.Data;
        float negLr = -(float)ParamGroup.Require(group.Lr, "lr");
        var d = Direction(group, parameter, grad);
        foreach (int i in kept)
        {
            w[i] = (d[i] * negLr) + w[i]; // the same unfused multiply-add as TensorPrimitives.MultiplyAdd in Update
        }
    }

    /// <summary>
    /// The dense step's state update (momentum buffer, every position) and its update direction: d = g + λ·w,
    /// the momentum buffer, or the Nesterov direction. The result may live in a scratch buffer.
    /// </summary>
    private ReadOnlySpan<float> Direction(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad)
    {
        var w = parameter.Data;
        float wd = (float)ParamGroup.Require(group.WeightDecay, "weight_decay");
        float mu = (float)ParamGroup.Require(group.Momentum, "momentum");
        double dampening = ParamGroup.Require(group.Dampening, "dampening");

        // d = g + λ·w in a scratch buffer: the gradient itself is left untouched for later readers.
        ReadOnlySpan<float> d = grad;
        if (wd != 0f)
        {
            var s = Scratch(0, w.Length);
            TensorPrimitives.MultiplyAdd(w, wd, grad, s);
            d = s;
        }

        if (mu != 0f)
        {
            if (!_buffers.TryGetValue(parameter, out var buffer))
            {
                buffer = new Tensor(parameter.Shape.ToArray());
                d.CopyTo(buffer.Data);
                _buffers.Add(parameter, buffer);
            }
            else if (dampening == 0)
            {
                TensorPrimitives.MultiplyAdd(buffer.Data, mu, d, buffer.Data);
            }
            else
            {
                TensorPrimitives.Multiply(buffer.Data, mu, buffer.Data);
                TensorPrimitives.MultiplyAdd(d, (float)(1 - dampening), buffer.Data, buffer.Data);
            }

            if (ParamGroup.Require(group.Nesterov, "nesterov"))
            {
                var s = Scratch(0, w.Length);
                TensorPrimitives.MultiplyAdd(buffer.Data, mu, d, s);
                d = s;
            }
            else
            {
                d = buffer.Data;
            }
        }

        return d;
    }

    /// <inheritdoc/>
    public override bool SupportsKeptStep => true;

    /// <inheritdoc/>
    /// <remarks>One pass over the kept positions with the same float operations in the same order as
    /// <see cref="Update"/> (<c>TensorPrimitives.MultiplyAdd</c> is an unfused x·y + z, as is C#'s
    /// <c>x * y + z</c>), so kept weights and momenta are bit-identical to the dense step; one pass
    /// touches each cache line once, where gathering into compact buffers would touch it twice. A first
    /// step creates a zero buffer holding d at the kept positions.</remarks>
    protected override void UpdateKept(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad, ReadOnlySpan<int> kept)
    {
        var w = parameter.Data;
        float lr = (float)ParamGroup.Require(group.Lr, "lr");
        float wd = (float)ParamGroup.Require(group.WeightDecay, "weight_decay");
        float mu = (float)ParamGroup.Require(group.Momentum, "momentum");
        float keep = (float)(1 - ParamGroup.Require(group.Dampening, "dampening"));
        bool dampened = ParamGroup.Require(group.Dampening, "dampening") != 0;
        bool nesterov = ParamGroup.Require(group.Nesterov, "nesterov");
        float negLr = -lr;
        if (mu == 0f)
        {
            foreach (int i in kept)
            {
                float d = wd != 0f ? (w[i] * wd) + grad[i] : grad[i];
                w[i] = (d * negLr) + w[i];
            }

            return;
        }

        bool first = !_buffers.TryGetValue(parameter, out var buffer);
        if (first)
        {
            buffer = new Tensor(parameter.Shape.ToArray());
            _buffers.Add(parameter, buffer);
        }

        var b = buffer!.Data;
        foreach (int i in kept)
        {
            float d = wd != 0f ? (w[i] * wd) + grad[i] : grad[i];
            float v = first ? d : dampened ? (d * keep) + (b[i] * mu) : (b[i] * mu) + d;
            b[i] = v;
            float direction = nesterov ? (v * mu) + d : v;
            w[i] = (direction * negLr) + w[i];
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, Tensor>> GetParameterState(Parameter parameter)
    {
        if (_buffers.TryGetValue(parameter, out var buffer))
        {
            yield return new(MomentumKey, buffer);
        }
    }

    /// <inheritdoc/>
    protected override void SetParameterState(Parameter parameter, IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue(MomentumKey, out var source))
        {
            _buffers.Remove(parameter);
            return;
        }

        if (!_buffers.TryGetValue(parameter, out var buffer))
        {
            buffer = new Tensor(parameter.Shape.ToArray());
            _buffers.Add(parameter, buffer);
        }

        buffer.CopyFrom(source);
    }

    private static void Check(double momentum, double dampening, bool nesterov, string where)
    {
        OptimizerChecks.UnitInterval(nameof(Sgd), "momentum", momentum, where, "Typical values are 0 (plain SGD) or 0.9.");
        OptimizerChecks.ClosedUnitInterval(nameof(Sgd), "dampening", dampening, where, "Use 0 (the PyTorch default) unless you need dampened momentum.");
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException(
                $"Sgd: Nesterov momentum requires a momentum and zero dampening ({where}: nesterov = true, momentum = {OptimizerChecks.Format(momentum)}, dampening = {OptimizerChecks.Format(dampening)}). Set momentum > 0 (e.g. 0.9) and dampening = 0, or nesterov = false.",
                "nesterov");
        }
    }
}
