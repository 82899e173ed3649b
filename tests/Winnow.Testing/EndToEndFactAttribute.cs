using Xunit;

namespace Winnow.Testing;

/// <summary>
/// A <c>[Fact]</c> for long end-to-end accuracy checks on the full Fashion-MNIST: skipped, with a
/// message saying why, unless <c>WINNOW_E2E=1</c> is set (CI sets it) and the full data set is
/// installed. <see cref="Minutes"/> estimates the run time on an idle 2-core machine; when
/// <c>WINNOW_E2E_MAX_MINUTES</c> is set, checks estimated above it are skipped too, so CI can run
/// the ones that fit its budget.
/// </summary>
public sealed class EndToEndFactAttribute : FactAttribute
{
    /// <summary>The environment variable that enables end-to-end checks.</summary>
    public const string Variable = "WINNOW_E2E";

    /// <summary>The environment variable capping the estimated minutes of a check that runs.</summary>
    public const string BudgetVariable = "WINNOW_E2E_MAX_MINUTES";

    /// <summary>Estimated minutes on an idle 2-core machine.</summary>
    public int Minutes { get; set; } = 1;

    /// <inheritdoc/>
    public override string? Skip
    {
        get => base.Skip ?? Reason();
        set => base.Skip = value;
    }

    private string? Reason()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            return $"End-to-end accuracy check (about {Minutes} min of training); set {Variable}=1 to run it (CI does).";
        }

        if (!RequiresFullDataFactAttribute.IsAvailable)
        {
            return $"Needs the full Fashion-MNIST data set in {RequiresFullDataFactAttribute.FullFashionMnistDirectory} (apt-get install dataset-fashion-mnist); it is not installed.";
        }

        if (int.TryParse(Environment.GetEnvironmentVariable(BudgetVariable), out int budget) && Minutes > budget)
        {
            return $"End-to-end check estimated at {Minutes} min, above {BudgetVariable}={budget}; raise the budget to run it.";
        }

        return null;
    }
}
