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

    /// <summary>Multiplies the hidden widths of models that support it (FC, Conv-N, VGG-Small, the MPT width sweeps); 1 elsewhere.</summary>
    public double WidthMultiplier { get; init; } = 1.0;

    /// <summary>Overrides whether conv/linear layers have biases (false = the bias-free edge-popup/biprop form); null = the model's default.</summary>
    public bool? Bias { get; init; }

    /// <summary>Affine (learnable γ/β) instead of non-affine batch norm in the subnetwork models (biprop's "+BN" configs).</summary>
    public bool AffineBatchNorm { get; init; }
}
