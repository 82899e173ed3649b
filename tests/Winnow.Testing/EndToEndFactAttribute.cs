using Xunit;

namespace Winnow.Testing;

/// <summary>
/// A <c>[Fact]</c> for long end-to-end accuracy checks on the full Fashion-MNIST: skipped, with a
/// message saying why, unless <c>WINNOW_E2E=1</c> is set (CI sets it) and the full data set is installed.
/// </summary>
public sealed class EndToEndFactAttribute : FactAttribute
{
    /// <summary>The environment variable that enables end-to-end checks.</summary>
    public const string Variable = "WINNOW_E2E";

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the checks are not enabled or the data is missing.</summary>
    public EndToEndFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"End-to-end accuracy check (minutes of training); set {Variable}=1 to run it (CI does).";
        }
        else if (!RequiresFullDataFactAttribute.IsAvailable)
        {
            Skip = $"Needs the full Fashion-MNIST data set in {RequiresFullDataFactAttribute.FullFashionMnistDirectory} (apt-get install dataset-fashion-mnist); it is not installed.";
        }
    }
}
