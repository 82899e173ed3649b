using System.Globalization;

namespace Winnow.Sparsity;

/// <summary>
/// Argument checks shared by the pruning API, with messages that name the value, what was
/// expected and the usual setting (STYLE.md §6.8).
/// </summary>
internal static class SparsityChecks
{
    /// <summary>Density (kept fraction) in (0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 1] or NaN.</exception>
    public static void Density(double density, string paramName)
    {
        if (!(density > 0 && density <= 1))
        {
            throw new ArgumentOutOfRangeException(paramName, density,
                $"The density must be in (0, 1] (the fraction of weights kept: 0.1 keeps 10%); got {Show(density)}.");
        }
    }

    /// <summary>Pruning fraction of the remaining weights in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 1) or NaN.</exception>
    public static void Fraction(double fraction, string paramName)
    {
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(paramName, fraction,
                $"The pruning fraction must be in [0, 1) (the fraction of the REMAINING weights removed; open_lth's default is 0.2); got {Show(fraction)}.");
        }
    }

    /// <summary>Sparsity (removed fraction) in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 1) or NaN.</exception>
    public static void Sparsity(double sparsity, string paramName)
    {
        if (!(sparsity >= 0 && sparsity < 1))
        {
            throw new ArgumentOutOfRangeException(paramName, sparsity,
                $"The {paramName} must be in [0, 1) (the fraction of weights removed; RigL's MNIST final sparsity is 0.98); got {Show(sparsity)}.");
        }
    }

    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
