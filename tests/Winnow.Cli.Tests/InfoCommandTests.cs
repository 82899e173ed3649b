namespace Winnow.Cli.Tests;

[Collection("Cli")]
public sealed class InfoCommandTests : SparsityRuns
{
    [Fact]
    public void InfoPrintsTheSparsityReportWithAndWithoutMasksAndComparesMasks()
    {
        Ok(Args("train", "dense"));
        var (_, dense, _) = Ok("info", Dir("dense"));
        Assert.Contains("no masks", dense);
        Assert.Contains("fc1.weight", dense);
        Assert.Contains("inference FLOPs/image (1×28×28): dense 532,400", dense);

        Ok(Args("prune", "mag", "--density", "0.5"));
        Ok(Args("prune", "rnd", "--density", "0.5", "--criterion", "random"));
        var (_, sparse, _) = Ok("info", Path.Combine(Dir("mag"), "checkpoint.safetensors"));
        Assert.Contains("3 masks", sparse);
        Assert.Contains("masked tensors: 133,100 of 266,200 kept (density 50.00%)", sparse);

        var (_, overlap, _) = Ok("info", Dir("mag"), "--compare", Dir("rnd"));
        Assert.Contains("Mask overlap", overlap);
        Assert.Contains("Jaccard", overlap);
        Assert.Contains("random Jaccard", overlap);
        Assert.Contains("133,100  133,100", overlap);
    }
}
