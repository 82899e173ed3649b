using Xunit;

namespace Winnow.Testing;

/// <summary>
/// A <c>[Fact]</c> that is skipped, with a message saying so, unless the full Fashion-MNIST data set
/// is installed in <see cref="FullFashionMnistDirectory"/> (Debian: <c>apt-get install dataset-fashion-mnist</c>).
/// </summary>
public sealed class RequiresFullDataFactAttribute : FactAttribute
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the four IDX files.</summary>
    public const string FullFashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] s_files =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the full data set is absent.</summary>
    public RequiresFullDataFactAttribute()
    {
        if (!IsAvailable)
        {
            Skip = $"Needs the full Fashion-MNIST data set in {FullFashionMnistDirectory} (apt-get install dataset-fashion-mnist); it is not installed.";
        }
    }

    /// <summary>True when all four IDX files (raw or .gz) are present.</summary>
    public static bool IsAvailable =>
        s_files.All(f => File.Exists(Path.Combine(FullFashionMnistDirectory, f)) || File.Exists(Path.Combine(FullFashionMnistDirectory, f + ".gz")));
}
