using System.Globalization;

namespace Winnow.NN.Schedules;

/// <summary>Argument checks shared by the schedules; messages name the schedule, option, value and expected range.</summary>
internal static class ScheduleChecks
{
    /// <summary>Requires a non-negative period index.</summary>
    public static void Index(string schedule, int t)
    {
        if (t < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, $"{schedule}.Factor: t = {t} is invalid; expected an epoch/step index ≥ 0.");
        }
    }

    /// <summary>Requires <c>value ≥ minimum</c> for an integer option.</summary>
    public static void AtLeast(string schedule, string option, int value, int minimum, string hint)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(option, value, $"{schedule}: option '{option}' = {value} is invalid; expected {option} ≥ {minimum}. {hint}");
        }
    }

    /// <summary>Requires <c>low ≤ value ≤ high</c> for a real option.</summary>
    public static void Between(string schedule, string option, double value, double low, double high, string hint)
    {
        if (!(value >= low && value <= high))
        {
            throw new ArgumentOutOfRangeException(option, value,
                $"{schedule}: option '{option}' = {Format(value)} is invalid; expected {Format(low)} ≤ {option} ≤ {Format(high)}. {hint}");
        }
    }

    /// <summary>Requires a finite <c>value ≥ 0</c>.</summary>
    public static void NonNegative(string schedule, string option, double value, string hint)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(option, value, $"{schedule}: option '{option}' = {Format(value)} is invalid; expected a finite value ≥ 0. {hint}");
        }
    }

    /// <summary>Formats a number for messages.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
