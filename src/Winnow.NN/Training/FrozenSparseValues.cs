using Winnow.NN.Layers;

namespace Winnow.NN.Training;

/// <summary>
/// An inference session over a model's sparse weights: on creation every sparse
/// <see cref="Linear"/> and <see cref="Conv2d"/> weight (enabled or <see cref="SparseWeight.InChains"/>,
/// no weight transform, not already frozen) gathers its kept values once (<see cref="SparseWeight.FreezeValues"/>), so forwards without
/// gradient recording skip the per-call gather from the dense weight; <see cref="Dispose"/> thaws
/// exactly those weights again. The weights must not change while it is open: <see cref="Evaluator"/>
/// holds one for the length of an evaluation, during which nothing trains.
/// </summary>
public sealed class FrozenSparseValues : IDisposable
{
    private readonly List<SparseWeight> _frozen = [];

    private FrozenSparseValues()
    {
    }

    /// <summary>Number of weights this session froze.</summary>
    public int Count => _frozen.Count;

    /// <summary>Freezes the values of every eligible sparse weight of <paramref name="model"/>.</summary>
    public static FrozenSparseValues Freeze(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var session = new FrozenSparseValues();
        foreach (var (_, module) in model.NamedModules())
        {
            var (sparse, weight) = module switch
            {
                Linear { WeightTransform: null } linear => (linear.Sparse, linear.Weight),
                Conv2d { WeightTransform: null } conv => (conv.Sparse, conv.Weight),
                _ => (null, null),
            };
            if (sparse is { ValuesFrozen: false } && (sparse.Enabled || sparse.InChains) && weight is not null
                && (long)sparse.Pattern.Rows * sparse.Pattern.Cols == weight.Length)
            {
                sparse.FreezeValues(weight);
                session._frozen.Add(sparse);
            }
        }

        return session;
    }

    /// <summary>Thaws the weights this session froze.</summary>
    public void Dispose()
    {
        foreach (var sparse in _frozen)
        {
            sparse.ThawValues();
        }

        _frozen.Clear();
    }
}
