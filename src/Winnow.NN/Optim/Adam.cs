using System.Numerics.Tensors;

namespace Winnow.NN.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, https://arxiv.org/abs/1412.6980) with PyTorch's <c>torch.optim.Adam</c>
/// semantics and defaults (β1 0.9, β2 0.999, ε 1e-8, weight decay 0). Per parameter, at its step t:
/// <code>
/// g ← g + λ·w                         (L2 weight decay, only when λ ≠ 0 and not decoupled)
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// denom = √v / √(1 − β2^t) + ε
/// w ← w − lr/(1 − β1^t) · m / denom
/// </code>
/// With <see cref="DecoupledWeightDecay"/> (AdamW, Loshchilov &amp; Hutter 2019) the decay is applied to
/// the weights instead, <c>w ← w·(1 − lr·λ)</c>, before the Adam step, and g is left as is.
/// State is saved as <c>{name}.exp_avg</c>, <c>{name}.exp_avg_sq</c>, <c>{name}.step</c>; through
/// <see cref="IHasMomentum"/> the "momentum" is m (Sparse Momentum's Adam variant also reads v via
/// <see cref="GetExpAvgSq"/>).
/// </summary>
/// <remarks>Exceptions: <see cref="ArgumentOutOfRangeException"/> for lr &lt; 0, ε &lt; 0, β1 or β2 outside
/// [0, 1), weight decay &lt; 0; <see cref="ArgumentException"/> for SGD-only options set on a group.
/// AMSGrad is not implemented.</remarks>
public class Adam : Optimizer, IHasMomentum
{
    private const string ExpAvgKey = "exp_avg";
    private const string ExpAvgSqKey = "exp_avg_sq";
    private const string StepKey = "step";
    private readonly Dictionary<Parameter, AdamState> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Adam over one group of <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range (see the type remarks).</exception>
    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false)
        : this(new[] { new ParamGroup(parameters) }, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay)
    {
    }

    /// <summary>Adam over parameter groups; each group option left null takes the default given here.</summary>
    /// <exception cref="ArgumentException">An option is out of range (see the type remarks).</exception>
    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false)
        : base(groups, lr, weightDecay)
    {
        DecoupledWeightDecay = decoupledWeightDecay;
        string who = GetType().Name;
        Check(who, beta1, beta2, eps, "optimizer default");
        for (int gi = 0; gi < Groups.Count; gi++)
        {
            var g = Groups[gi];
            string where = g.Describe(gi);
            OptimizerChecks.Unused(who, "momentum", g.Momentum, where);
            OptimizerChecks.Unused(who, "dampening", g.Dampening, where);
            OptimizerChecks.Unused(who, "nesterov", g.Nesterov, where);
            g.Beta1 ??= beta1;
            g.Beta2 ??= beta2;
            g.Eps ??= eps;
            Check(who, g.Beta1.Value, g.Beta2.Value, g.Eps.Value, where);
        }
    }

    /// <summary>True for AdamW: weight decay shrinks the weights directly instead of adding λ·w to the gradient.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> BufferStateKeys { get; } = [ExpAvgKey, ExpAvgSqKey];

    /// <inheritdoc/>
    protected override IReadOnlyList<string> ScalarStateKeys { get; } = [StepKey];

    /// <summary>The live first moment m (<c>exp_avg</c>), or null before the parameter's first update.</summary>
    /// <exception cref="ArgumentException">The parameter is not managed by this optimizer.</exception>
    public Tensor? GetMomentumBuffer(Parameter parameter) => GetExpAvg(parameter);

    /// <summary>The live first moment m (<c>exp_avg</c>), or null before the parameter's first update.</summary>
    /// <exception cref="ArgumentException">The parameter is not managed by this optimizer.</exception>
    public Tensor? GetExpAvg(Parameter parameter) => Find(parameter)?.ExpAvg;

    /// <summary>The live second moment v (<c>exp_avg_sq</c>), or null before the parameter's first update.</summary>
    /// <exception cref="ArgumentException">The parameter is not managed by this optimizer.</exception>
    public Tensor? GetExpAvgSq(Parameter parameter) => Find(parameter)?.ExpAvgSq;

    /// <summary>Number of updates applied to <paramref name="parameter"/> (its t; 0 before the first).</summary>
    /// <exception cref="ArgumentException">The parameter is not managed by this optimizer.</exception>
    public int GetStep(Parameter parameter) => Find(parameter)?.Step ?? 0;

    /// <inheritdoc/>
    public void ResetMomentum(Parameter parameter, ReadOnlySpan<bool> where)
    {
        var state = Find(parameter);
        if (where.Length != parameter.Length)
        {
            throw new ArgumentException($"ResetMomentum: mask has {where.Length} elements but parameter '{parameter.Name ?? "(unnamed)"}' has {parameter.Length}.", nameof(where));
        }

        if (state is not null)
        {
            var m = state.ExpAvg.Data;
            var v = state.ExpAvgSq.Data;
            for (int i = 0; i < m.Length; i++)
            {
                if (where[i])
                {
                    m[i] = 0f;
                    v[i] = 0f;
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad)
    {
        var w = parameter.Data;
        var state = Advance(group, parameter, out var h);
        // The coupled-decay gradient needs its own buffer; the others read grad as it is.
        var gScratch = h.Wd != 0 && !DecoupledWeightDecay ? Scratch(0, w.Length) : default;
        AdamStep(h, state.Step, w, grad, gScratch, state.ExpAvg.Data, state.ExpAvgSq.Data, Scratch(1, w.Length));
    }

    /// <inheritdoc/>
    public override bool SupportsKeptStep => true;

    /// <inheritdoc/>
    /// <remarks>The kept entries of w, g, m and v are gathered into compact buffers and run through the
    /// same <see cref="AdamStep"/> as <see cref="Update"/>, so kept weights and moments are bit-identical
    /// to the dense step; the step count advances as in the dense step.</remarks>
    protected override void UpdateKept(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad, ReadOnlySpan<int> kept)
    {
        var w = parameter.Data;
        var state = Advance(group, parameter, out var h);
        int n = kept.Length;
        var wc = Scratch(2, n);
        var g = Scratch(0, n);
        var m = Scratch(3, n);
        var v = Scratch(4, n);
        Gather(w, kept, wc);
        Gather(grad, kept, g);
        Gather(state.ExpAvg.Data, kept, m);
        Gather(state.ExpAvgSq.Data, kept, v);
        AdamStep(h, state.Step, wc, g, g, m, v, Scratch(1, n));
        Scatter(m, kept, state.ExpAvg.Data);
        Scatter(v, kept, state.ExpAvgSq.Data);
        Scatter(wc, kept, w);
    }

    /// <summary>Reads the group's hyper-parameters and advances (creating if needed) the parameter's state.</summary>
    private AdamState Advance(ParamGroup group, Parameter parameter, out Hyper h)
    {
        h = new Hyper(
            ParamGroup.Require(group.Lr, "lr"),
            ParamGroup.Require(group.WeightDecay, "weight_decay"),
            ParamGroup.Require(group.Beta1, "beta1"),
            ParamGroup.Require(group.Beta2, "beta2"),
            (float)ParamGroup.Require(group.Eps, "eps"));
        if (!_state.TryGetValue(parameter, out var state))
        {
            state = new AdamState(parameter.Shape.ToArray());
            _state.Add(parameter, state);
        }

        state.Step++;
        return state;
    }

    /// <summary>
    /// One Adam/AdamW update of <paramref name="w"/> in place, on dense spans or on gathered kept entries
    /// alike: weight decay (coupled into <paramref name="gScratch"/>, which may be <paramref name="grad"/>
    /// itself, or decoupled on w), the moment updates of <paramref name="m"/> and <paramref name="v"/>,
    /// then the bias-corrected step. <paramref name="tmp"/> is scratch of w's length.
    /// </summary>
    private void AdamStep(in Hyper h, int t, Span<float> w, ReadOnlySpan<float> grad, Span<float> gScratch, Span<float> m, Span<float> v, Span<float> tmp)
    {
        ReadOnlySpan<float> g = grad;
        if (h.Wd != 0)
        {
            if (DecoupledWeightDecay)
            {
                TensorPrimitives.Multiply(w, (float)(1 - (h.Lr * h.Wd)), w);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(w, (float)h.Wd, grad, gScratch);
                g = gScratch;
            }
        }

        TensorPrimitives.Lerp(m, g, (float)(1 - h.Beta1), m);
        TensorPrimitives.Multiply(v, (float)h.Beta2, v);
        TensorPrimitives.Multiply(g, (float)(1 - h.Beta2), tmp);
        TensorPrimitives.MultiplyAdd(tmp, g, v, v);

        // Bias corrections in double, as PyTorch computes them as Python floats.
        double biasCorrection1 = 1 - Math.Pow(h.Beta1, t);
        double biasCorrection2 = 1 - Math.Pow(h.Beta2, t);
        float stepSize = (float)(h.Lr / biasCorrection1);
        float bc2Sqrt = (float)Math.Sqrt(biasCorrection2);
        TensorPrimitives.Sqrt(v, tmp);
        TensorPrimitives.Divide(tmp, bc2Sqrt, tmp);
        TensorPrimitives.Add(tmp, h.Eps, tmp);
        TensorPrimitives.Divide(m, tmp, tmp);
        TensorPrimitives.MultiplyAdd(tmp, -stepSize, w, w);
    }

    private readonly record struct Hyper(double Lr, double Wd, double Beta1, double Beta2, float Eps);

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, Tensor>> GetParameterState(Parameter parameter)
    {
        if (_state.TryGetValue(parameter, out var state))
        {
            yield return new(ExpAvgKey, state.ExpAvg);
            yield return new(ExpAvgSqKey, state.ExpAvgSq);
            var step = new Tensor([]);
            step.Data[0] = state.Step;
            yield return new(StepKey, step);
        }
    }

    /// <inheritdoc/>
    protected override void SetParameterState(Parameter parameter, IReadOnlyDictionary<string, Tensor> state)
    {
        if (state.Count == 0)
        {
            _state.Remove(parameter);
            return;
        }

        if (!_state.TryGetValue(parameter, out var own))
        {
            own = new AdamState(parameter.Shape.ToArray());
            _state.Add(parameter, own);
        }

        own.ExpAvg.CopyFrom(state[ExpAvgKey]);
        own.ExpAvgSq.CopyFrom(state[ExpAvgSqKey]);
        own.Step = (int)state[StepKey].Data[0];
    }

    private AdamState? Find(Parameter parameter)
    {
        CheckManaged(parameter);
        return _state.GetValueOrDefault(parameter);
    }

    private static void Check(string who, double beta1, double beta2, double eps, string where)
    {
        OptimizerChecks.UnitInterval(who, "beta1", beta1, where, "The PyTorch default is 0.9.");
        OptimizerChecks.UnitInterval(who, "beta2", beta2, where, "The PyTorch default is 0.999.");
        OptimizerChecks.NonNegative(who, "eps", eps, where, "The PyTorch default is 1e-8.");
    }
}
