using Winnow.NN.Data;
using Winnow.Testing;

namespace Winnow.NN.Tests.Data;

public sealed class FullDataTests
{
    [RequiresFullDataFact]
    public void FullFashionMnist_Loads60kAnd10kImages()
    {
        var (train, test, info) = DatasetCatalog.Load("fashion-mnist", RequiresFullDataFactAttribute.FullFashionMnistDirectory);

        Assert.False(info.IsSample);
        Assert.Equal((60_000, 10_000), (train.Count, test.Count));
        Assert.Equal(Enumerable.Repeat(6_000, 10), train.ClassCounts());
        Assert.Equal(Enumerable.Repeat(1_000, 10), test.ClassCounts());

        using var loader = new DataLoader(train, 100, new DataLoaderOptions { Normalization = info.Normalization, Seed = 1 });
        Assert.Equal(600, loader.Epoch(0).Count());
    }
}
