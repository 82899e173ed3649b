namespace Winnow.NN.Optim;

/// <summary>
/// A set of parameters that share hyper-parameters (PyTorch's <c>param_groups</c> entry). Every
/// option left null takes the optimizer's default when the group is passed to an optimizer
/// (PyTorch's <c>setdefault</c>), so after construction the options the optimizer uses are non-null.
/// Options the optimizer does not use (e.g. <see cref="Beta1"/> for SGD) must stay null.
/// </summary>
/// <remarks>
/// Typical use: a separate group without weight decay for biases and BatchNorm parameters, or a
/// mask-logit group with its own learning rate (Continuous Sparsification). Writing an option after
/// the optimizer was built is allowed (schedules do it for <see cref="Lr"/>) and is not re-validated.
/// </remarks>
public sealed class ParamGroup
{
    /// <summary>Creates a group over <paramref name="parameters"/> (order kept; the same parameter must not appear twice).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or one of its items is null.</exception>
    public ParamGroup(IEnumerable<Parameter> parameters, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToArray();
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentNullException(nameof(parameters), $"Parameter group '{name ?? "(unnamed)"}' has a null parameter at position {i}.");
            }
        }

        Params = list;
        Name = name;
    }

    /// <summary>Optional label used in error messages and reports (e.g. "no_decay", "bn").</summary>
    public string? Name { get; }

    /// <summary>The parameters of this group, in the order they were given.</summary>
    public IReadOnlyList<Parameter> Parameters => Params;

    /// <summary>Current learning rate (changed by <see cref="Optimizer.SetLrFactor"/> and schedules).</summary>
    public double? Lr { get; set; }

    /// <summary>
    /// The learning rate that <see cref="Optimizer.SetLrFactor"/> multiplies (PyTorch's <c>initial_lr</c>).
    /// Filled with <see cref="Lr"/> when the optimizer is built unless set explicitly.
    /// </summary>
    public double? InitialLr { get; set; }

    /// <summary>Weight decay λ (L2 added to the gradient for SGD and Adam, decoupled for AdamW).</summary>
    public double? WeightDecay { get; set; }

    /// <summary>SGD momentum factor μ.</summary>
    public double? Momentum { get; set; }

    /// <summary>SGD dampening applied to the gradient in the momentum update.</summary>
    public double? Dampening { get; set; }

    /// <summary>SGD Nesterov momentum switch.</summary>
    public bool? Nesterov { get; set; }

    /// <summary>Adam β1 (decay of the first moment).</summary>
    public double? Beta1 { get; set; }

    /// <summary>Adam β2 (decay of the second moment).</summary>
    public double? Beta2 { get; set; }

    /// <summary>Adam ε added to the denominator.</summary>
    public double? Eps { get; set; }

    internal Parameter[] Params { get; }

    /// <summary>"parameter group 1 ('bn')" — for messages.</summary>
    internal string Describe(int index) => Name is null ? $"parameter group {index}" : $"parameter group {index} ('{Name}')";

    /// <summary>Reads a resolved option, failing with a hint if it was cleared after construction.</summary>
    internal static T Require<T>(T? value, string option)
        where T : struct
        => value ?? throw new InvalidOperationException(
            $"Parameter group option '{option}' is null. Options are filled with the optimizer's defaults when the optimizer is built; do not set them back to null afterwards.");
}
