using System.Globalization;

namespace Winnow.NN.Optim;

/// <summary>Option validation shared by the optimizers; every message names the option, the value and the expected range.</summary>
internal static class OptimizerChecks
{
    /// <summary>Requires <c>value ≥ 0</c> (and finite).</summary>
    public static void NonNegative(string optimizer, string option, double value, string where, string hint)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(option, value,
                $"{optimizer}: option '{option}' = {Format(value)} ({where}) is invalid; expected a finite value ≥ 0. {hint}");
        }
    }

    /// <summary>Requires <c>0 ≤ value &lt; 1</c>.</summary>
    public static void UnitInterval(string optimizer, string option, double value, string where, string hint)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(option, value,
                $"{optimizer}: option '{option}' = {Format(value)} ({where}) is invalid; expected 0 ≤ {option} < 1. {hint}");
        }
    }

    /// <summary>Requires <c>0 ≤ value ≤ 1</c>.</summary>
    public static void ClosedUnitInterval(string optimizer, string option, double value, string where, string hint)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(option, value,
                $"{optimizer}: option '{option}' = {Format(value)} ({where}) is invalid; expected 0 ≤ {option} ≤ 1. {hint}");
        }
    }

    /// <summary>Rejects an option the optimizer does not use, so a misplaced setting is not silently ignored.</summary>
    public static void Unused<T>(string optimizer, string option, T? value, string where)
        where T : struct
    {
        if (value.HasValue)
        {
            throw new ArgumentException(
                $"{optimizer}: option '{option}' = {value.Value} is set on {where}, but {optimizer} does not use it. Remove it from the group (or use the optimizer that has this option).",
                option);
        }
    }

    /// <summary>Formats a number for messages (invariant culture, round-trip precision).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
