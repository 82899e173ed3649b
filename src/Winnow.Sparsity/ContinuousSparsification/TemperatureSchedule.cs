namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>
/// The per-round temperature of Continuous Sparsification (ALGORITHMS.md §1.5): β starts at 1 in
/// every round and is multiplied by r = β_T^(1/(E−1)) at the start of every epoch but the first, so
/// during epoch e ∈ {0,…,E−1} of a round <c>β_e = β_T^(e/(E−1))</c>, reaching β_T in the last epoch.
/// </summary>
public static class TemperatureSchedule
{
    /// <summary>β during epoch <paramref name="epoch"/> of a round of <paramref name="epochs"/> epochs (β = 1 for a one-epoch round).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> &lt; 1, <paramref name="epoch"/> outside [0, E), or β_T ≤ 0.</exception>
    public static float Beta(int epoch, int epochs, double finalTemperature)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(epoch, epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(finalTemperature);
        return epochs == 1 ? 1f : (float)Math.Pow(finalTemperature, (double)epoch / (epochs - 1));
    }

    /// <summary>The per-epoch factor r = β_T^(1/(E−1)) (1 for E = 1).</summary>
    public static double Factor(int epochs, double finalTemperature)
        => epochs <= 1 ? 1.0 : Math.Pow(finalTemperature, 1.0 / (epochs - 1));
}
