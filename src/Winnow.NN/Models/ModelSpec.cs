namespace Winnow.NN.Models;

/// <summary>
/// What a zoo model is built for: inputs of shape (<paramref name="InChannels"/>,
/// <paramref name="InputSize"/>, <paramref name="InputSize"/>), <paramref name="Classes"/> outputs,
/// and the generator that draws the initial weights.
/// </summary>
public sealed record ModelSpec(int InChannels, int InputSize, int Classes, Rng Rng)
{
    /// <summary>The input shape as "C×S×S".</summary>
    public string InputShape => $"{InChannels}×{InputSize}×{InputSize}";
}
