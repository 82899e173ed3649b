using Winnow.Settings;

namespace Winnow.NN.Models;

/// <summary>The model settings of a run: the zoo architecture and its width multiplier.</summary>
public sealed record ModelSettings
{
    [Setting("model", "Model (see `winnow models`).", Choices = typeof(ModelSettings))]
    public string Model { get; init; } = "lenet5";

    [Setting("width", "Width multiplier of the hidden layers of the models that have one (lenet300, fc, Conv-N, VGG-Small, ResNet-18).", Min = 0, MinExclusive = true)]
    public double Width { get; init; } = 1.0;

    /// <summary>The zoo's model names as setting choices.</summary>
    public static IReadOnlyList<SettingChoice> Choices { get; } = ModelZoo.All.Select(m => new SettingChoice(m.Name, "")).ToArray();
}
