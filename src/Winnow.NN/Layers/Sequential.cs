namespace Winnow.NN.Layers;

/// <summary>Runs its children in order; they are named "0", "1", … like torch.nn.Sequential.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates the container from <paramref name="layers"/>.</summary>
    public Sequential(params Module[] layers)
    {
        foreach (var layer in layers)
        {
            Add(layer);
        }
    }

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>Appends a layer (named by its index).</summary>
    public Sequential Add(Module layer)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    /// <inheritdoc/>
    /// <remarks>Without gradient recording, runs of sparse <see cref="Linear"/> [+ <see cref="ReLU"/>] layers are fused (<see cref="LinearChain"/>); outputs are the same bits.</remarks>
    public override Tensor Forward(Tensor input) => LinearChain.Forward(input, _layers);
}
