using System.Globalization;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// A point in a training schedule, written as open_lth writes steps: <c>500it</c> (after 500
/// optimizer steps), <c>2ep</c> (after 2 epochs), <c>0</c> (the start), or, for settings relative
/// to the run's length, <c>75%</c> (after 75% of all steps, rounded down).
/// </summary>
public readonly record struct TrainingPoint
{
    private TrainingPoint(long value, TrainingPointUnit unit)
    {
        Value = value;
        Unit = unit;
    }

    /// <summary>The start of training (iteration 0: the original lottery ticket rewind point).</summary>
    public static TrainingPoint Start => default;

    /// <summary>The number of iterations, epochs or percent.</summary>
    public long Value { get; }

    /// <summary>The unit of <see cref="Value"/>.</summary>
    public TrainingPointUnit Unit { get; }

    /// <summary>After <paramref name="steps"/> optimizer steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public static TrainingPoint Iterations(long steps) => new(NonNegative(steps), TrainingPointUnit.Iterations);

    /// <summary>After <paramref name="epochs"/> whole epochs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public static TrainingPoint Epochs(int epochs) => new(NonNegative(epochs), TrainingPointUnit.Epochs);

    /// <summary>After <paramref name="percent"/>% of the run's steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 100].</exception>
    public static TrainingPoint Percent(int percent) => percent is >= 0 and <= 100
        ? new(percent, TrainingPointUnit.Percent)
        : throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentage of training must be in [0, 100].");

    /// <summary>Parses <c>0</c>, <c>N</c> or <c>Nit</c> (iterations), <c>Nep</c> (epochs) or <c>N%</c>.</summary>
    /// <exception cref="FormatException">Not one of these forms; the message shows them.</exception>
    public static TrainingPoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        (string digits, TrainingPointUnit unit) = t switch
        {
            _ when t.EndsWith("it", StringComparison.Ordinal) => (t[..^2], TrainingPointUnit.Iterations),
            _ when t.EndsWith("ep", StringComparison.Ordinal) => (t[..^2], TrainingPointUnit.Epochs),
            _ when t.EndsWith('%') => (t[..^1], TrainingPointUnit.Percent),
            _ => (t, TrainingPointUnit.Iterations),
        };
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            || (unit == TrainingPointUnit.Percent && value > 100) || (unit == TrainingPointUnit.Epochs && value > int.MaxValue))
        {
            throw new FormatException($"'{text}' is not a training point: expected 0 (the start), N or Nit (after N iterations), Nep (after N epochs) or N% (after N% of training, N ≤ 100), e.g. 500it or 2ep.");
        }

        return new TrainingPoint(value, unit);
    }

    /// <summary>The global step (optimizer steps completed) this point denotes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepsPerEpoch"/> &lt; 1 or <paramref name="totalSteps"/> &lt; 0.</exception>
    public long ToStep(int stepsPerEpoch, long totalSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(totalSteps);
        return Unit switch
        {
            TrainingPointUnit.Epochs => Value * stepsPerEpoch,
            TrainingPointUnit.Percent => totalSteps * Value / 100,
            _ => Value,
        };
    }

    /// <summary>The open_lth spelling (<c>0it</c>, <c>500it</c>, <c>2ep</c>, <c>75%</c>).</summary>
    public override string ToString() => Unit switch
    {
        TrainingPointUnit.Epochs => string.Create(CultureInfo.InvariantCulture, $"{Value}ep"),
        TrainingPointUnit.Percent => string.Create(CultureInfo.InvariantCulture, $"{Value}%"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Value}it"),
    };

    private static long NonNegative(long v) => v >= 0 ? v : throw new ArgumentOutOfRangeException(nameof(v), v, "A training point cannot be negative.");
}
