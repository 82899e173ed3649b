namespace Winnow.NN.Schedules;

/// <summary>
/// PyTorch's <c>MultiStepLR</c>: decays by <c>gamma</c> once each milestone is reached,
/// <c>Factor(t) = gamma^(number of milestones m with m ≤ t)</c>. A milestone listed twice decays twice
/// (as PyTorch's <c>Counter</c> of milestones does).
/// </summary>
/// <remarks>Stepped per epoch by default (see <see cref="ILrSchedule"/>): with milestones [80, 120] the
/// factor is 1 for epochs 0–79, gamma for 80–119 and gamma² from 120 on.</remarks>
public sealed class MultiStepLr : ILrSchedule
{
    private readonly int[] _milestones;

    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="milestones"/> is null.</exception>
    /// <exception cref="ArgumentException">A milestone is negative or the list is not sorted ascending.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is negative or not finite.</exception>
    public MultiStepLr(IEnumerable<int> milestones, double gamma = 0.1)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _milestones = milestones.ToArray();
        for (int i = 0; i < _milestones.Length; i++)
        {
            if (_milestones[i] < 0)
            {
                throw new ArgumentException($"MultiStepLr: option 'milestones' has {_milestones[i]} at position {i}; milestones are epoch indices ≥ 0.", nameof(milestones));
            }

            if (i > 0 && _milestones[i] < _milestones[i - 1])
            {
                throw new ArgumentException(
                    $"MultiStepLr: option 'milestones' = [{string.Join(", ", _milestones)}] is not sorted ascending ({_milestones[i - 1]} comes before {_milestones[i]}). List the milestones in increasing order, e.g. [80, 120].",
                    nameof(milestones));
            }
        }

        ScheduleChecks.NonNegative(nameof(MultiStepLr), "gamma", gamma, "It is the decay factor, e.g. 0.1.");
        Gamma = gamma;
    }

    /// <summary>The milestones, ascending.</summary>
    public IReadOnlyList<int> Milestones => _milestones;

    /// <summary>Multiplicative decay applied at each milestone.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public double Factor(int t)
    {
        ScheduleChecks.Index(nameof(MultiStepLr), t);
        int passed = 0;
        while (passed < _milestones.Length && _milestones[passed] <= t)
        {
            passed++;
        }

        return Math.Pow(Gamma, passed);
    }
}
