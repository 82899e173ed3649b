namespace Winnow.Cli.Tests;

[Collection("Cli")]
public sealed class MiscCommandTests
{
    [Fact]
    public void ModelsListsTheZooWithCounts()
    {
        var (code, output, err) = CliRunner.Run("models");
        Assert.True(code == 0, err);
        Assert.Contains("lenet300", output);
        Assert.Contains("266,610", output);
        Assert.Contains("resnet20", output);
    }

    [Fact]
    public void DatasetsFindsTheBundledSampleOrTheSystemCopy()
    {
        var (code, output, err) = CliRunner.Run("datasets");
        Assert.True(code == 0, err);
        Assert.Contains("fashion-mnist", output);
        Assert.Contains("cifar10", output);
    }

    [Fact]
    public void UnknownOptionIsAParseError()
    {
        var (code, _, err) = CliRunner.Run("train", "--epochz", "3");
        Assert.NotEqual(0, code);
        Assert.Contains("--epochz", err);
    }
}
