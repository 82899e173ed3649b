using Winnow.Settings;

namespace Winnow.NN.Optim;

/// <summary>Which optimizer a run trains with.</summary>
public enum OptimizerKind
{
    [SettingValue("sgd", "SGD with momentum, PyTorch semantics")]
    Sgd,

    [SettingValue("adam", "Adam (L2 weight decay added to the gradient, as torch.optim.Adam)")]
    Adam,
}

/// <summary>The optimizer settings of a run (the `optimizer`, `lr`, `momentum`, `nesterov`, `weight-decay` settings) and the optimizer they build.</summary>
public sealed record OptimizerSettings
{
    [Setting("optimizer", "The optimizer.")]
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    [Setting("lr", "Learning rate (the schedule multiplies it).", Min = 0)]
    public double Lr { get; init; } = 0.05;

    [Setting("momentum", "SGD momentum (PyTorch semantics).", Min = 0, Max = 1, MaxExclusive = true)]
    public double Momentum { get; init; } = 0.9;

    [Setting("nesterov", "Use Nesterov momentum (SGD).")]
    public bool Nesterov { get; init; }

    [Setting("weight-decay", "L2 weight decay.", Min = 0)]
    public double WeightDecay { get; init; }

    /// <summary>A fresh optimizer of this kind over <paramref name="parameters"/>.</summary>
    public Optimizer Create(IEnumerable<Parameter> parameters) => Optimizer switch
    {
        OptimizerKind.Adam => new Adam(parameters, Lr, weightDecay: WeightDecay),
        _ => new Sgd(parameters, Lr, Momentum, nesterov: Nesterov, weightDecay: WeightDecay),
    };
}
