namespace Winnow.Sparsity.DynamicSparse;

/// <summary>A constant prune rate ζ (SET, <a href="https://arxiv.org/abs/1707.04780">Mocanu et al. 2018</a>: ζ = 0.3).</summary>
public sealed class ConstantRateSchedule(double rate = 0.3) : IPruneRateSchedule
{
    /// <inheritdoc/>
    public string Name => "constant";

    /// <summary>ζ.</summary>
    public double Value { get; } = rate;

    /// <inheritdoc/>
    public double Rate(long step, long totalSteps) => Value;
}
