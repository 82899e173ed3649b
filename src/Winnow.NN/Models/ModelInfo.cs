namespace Winnow.NN.Models;

/// <summary>
/// One entry of the <see cref="ModelZoo"/>: the registry name, a one-line description with the paper,
/// the default input (the dataset the paper used: 1×28×28 MNIST or 3×32×32 CIFAR) and the factory.
/// Prefer <see cref="ModelZoo.Create"/> over calling <see cref="Factory"/> directly: it validates the
/// spec and turns architecture/input mismatches into messages that name the model.
/// </summary>
public sealed record ModelInfo(string Name, string Description, int InChannels, int InputSize, Func<ModelSpec, Module> Factory)
{
    /// <summary>The default input shape as "C×S×S".</summary>
    public string DefaultInputShape => $"{InChannels}×{InputSize}×{InputSize}";

    /// <summary>A spec for the default input shape.</summary>
    public ModelSpec DefaultSpec(Rng rng, int classes = 10) => new(InChannels, InputSize, classes, rng);
}
