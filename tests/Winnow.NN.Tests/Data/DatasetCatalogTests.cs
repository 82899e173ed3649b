using Winnow.NN.Data;
using Winnow.Testing;

namespace Winnow.NN.Tests.Data;

[Collection("Environment")]
public sealed class DatasetCatalogTests
{
    private const string NoSystem = "/nonexistent-winnow-system-root";

    [Fact]
    public void Names_AreKnownAndForgiving()
    {
        Assert.Equal(["fashion-mnist", "mnist", "kmnist", "cifar10", "cifar100"], DatasetCatalog.Names);
        Assert.Equal("fashion-mnist", DatasetCatalog.DefaultName);
        Assert.Equal("cifar10", DatasetCatalog.Get("CIFAR-10").Name);
        Assert.Equal("fashion-mnist", DatasetCatalog.Get("FashionMNIST").Name);
        Assert.Equal(100, DatasetCatalog.Get("cifar_100").Classes);
        Assert.Equal((3, 32, 32), (DatasetCatalog.Get("cifar10").Channels, DatasetCatalog.Get("cifar10").Height, DatasetCatalog.Get("cifar10").Width));
    }

    [Theory]
    [InlineData("fashon-mnist", "fashion-mnist")]
    [InlineData("minst", "mnist")]
    [InlineData("cifar1000", "cifar100")]
    [InlineData("kmnst", "kmnist")]
    public void UnknownName_ListsNamesAndSuggestsTheNearest(string name, string suggestion)
    {
        var e = Assert.Throws<DataException>(() => DatasetCatalog.Get(name));

        Assert.Contains($"'{name}'", e.Message);
        Assert.Contains("fashion-mnist, mnist, kmnist, cifar10, cifar100", e.Message);
        Assert.Contains($"Did you mean '{suggestion}'?", e.Message);
    }

    [Fact]
    public void Locate_SearchesArgumentThenEnvironmentThenSystem()
    {
        using var tmp = new TempDirectory();
        string arg = tmp.Sub("arg"), env = tmp.Sub("env"), system = tmp.Sub("system");
        foreach (string dir in new[] { arg, env, tmp.Sub("system", "mnist") })
        {
            TestDataFiles.Touch(dir, TestDataFiles.IdxFiles.Select(f => f + ".gz"));
        }

        var l1 = DatasetCatalog.LocateIn("mnist", arg, env, system, null);
        var l2 = DatasetCatalog.LocateIn("mnist", null, env, system, null);
        var l3 = DatasetCatalog.LocateIn("mnist", null, null, system, null);
        var l4 = DatasetCatalog.LocateIn("mnist", tmp.Sub("empty"), null, system, null);

        Assert.Equal((arg, DatasetSource.Argument), (l1.Directory, l1.Source));
        Assert.Equal((env, DatasetSource.Environment), (l2.Directory, l2.Source));
        Assert.Equal((Path.Combine(system, "mnist"), DatasetSource.System), (l3.Directory, l3.Source));
        Assert.False(l3.IsSample);
        Assert.Equal(DatasetSource.System, l4.Source);
        Assert.Contains(l4.Skipped, s => s.StartsWith(Path.Combine(tmp.Path, "empty"), StringComparison.Ordinal) && s.Contains("--data", StringComparison.Ordinal));
    }

    [Fact]
    public void Locate_AcceptsDirSlashNameAndTheCifarArchiveFolder()
    {
        using var tmp = new TempDirectory();
        TestDataFiles.Touch(tmp.Sub("kmnist"), TestDataFiles.IdxFiles);
        TestDataFiles.Touch(tmp.Sub("cifar-10-batches-bin"), DatasetCatalog.Get("cifar10").TrainFiles.Concat(DatasetCatalog.Get("cifar10").TestFiles));
        TestDataFiles.Touch(tmp.Sub("cifar100", "cifar-100-binary"), ["train.bin", "test.bin"]);

        Assert.Equal(Path.Combine(tmp.Path, "kmnist"), DatasetCatalog.LocateIn("kmnist", null, tmp.Path, NoSystem, null).Directory);
        Assert.Equal(Path.Combine(tmp.Path, "cifar-10-batches-bin"), DatasetCatalog.LocateIn("cifar10", tmp.Path, null, NoSystem, null).Directory);
        Assert.Equal(Path.Combine(tmp.Path, "cifar100", "cifar-100-binary"), DatasetCatalog.LocateIn("cifar100", tmp.Path, null, NoSystem, null).Directory);
    }

    [Fact]
    public void Locate_ReadsTheWinnowDataEnvironmentVariable()
    {
        using var tmp = new TempDirectory();
        TestDataFiles.Touch(tmp.Sub("kmnist"), TestDataFiles.IdxFiles);
        string? saved = Environment.GetEnvironmentVariable(DatasetCatalog.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DatasetCatalog.EnvironmentVariable, tmp.Path);

            var location = DatasetCatalog.Locate("kmnist", null);

            Assert.Equal(DatasetSource.Environment, location.Source);
            Assert.Equal(Path.Combine(tmp.Path, "kmnist"), location.Directory);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatasetCatalog.EnvironmentVariable, saved);
        }
    }

    [Fact]
    public void NotFound_ListsEveryPlaceAndHowToGetTheData()
    {
        using var tmp = new TempDirectory();
        string arg = Path.Combine(tmp.Path, "missing"), env = tmp.Sub("env");

        var e = Assert.Throws<DataException>(() => DatasetCatalog.LocateIn("fashion-mnist", arg, env, NoSystem, tmp.Path));

        Assert.Contains(arg + " (--data): no such directory", e.Message);
        Assert.Contains(env + " ($WINNOW_DATA): no train-images-idx3-ubyte[.gz]", e.Message);
        Assert.Contains(Path.Combine(env, "fashion-mnist"), e.Message);
        Assert.Contains(Path.Combine(NoSystem, "fashion-mnist"), e.Message);
        Assert.Contains("data/fashion-mnist-sample (bundled sample) in " + tmp.Path, e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("--data DIR", e.Message);

        var cifar = Assert.Throws<DataException>(() => DatasetCatalog.LocateIn("cifar10", null, null, NoSystem, tmp.Path));
        Assert.Contains("--data DIR: not given", cifar.Message);
        Assert.Contains("$WINNOW_DATA: not set", cifar.Message);
        Assert.Contains("binary version", cifar.Message);
        Assert.Contains("data_batch_1.bin", cifar.Message);
        Assert.DoesNotContain("bundled", cifar.Message);
    }

    [Fact]
    public void Load_ReadsAnIdxSetFromTheDataDirectory()
    {
        using var tmp = new TempDirectory();
        TestDataFiles.WriteIdxSet(tmp.Path, 30, 12, gzip: true);

        var (train, test, info) = DatasetCatalog.Load("mnist", tmp.Path);

        Assert.Equal((30, 12), (train.Count, test.Count));
        Assert.Equal("mnist/train", train.Name);
        Assert.Equal(TestDataFiles.Pixels(30 * 784), train.Pixels.ToArray());
        Assert.Equal(DatasetSource.Argument, info.Location.Source);
        Assert.Equal(0.1307f, info.Normalization.Mean[0]);
        Assert.False(info.IsSample);
    }

    [Fact]
    public void Load_RejectsImagesOfTheWrongShape()
    {
        using var tmp = new TempDirectory();
        TestDataFiles.WriteIdxSet(tmp.Path, 3, 2, gzip: false, size: 8);

        var e = Assert.Throws<DataException>(() => DatasetCatalog.Load("kmnist", tmp.Path));

        Assert.Contains("1×8×8", e.Message);
        Assert.Contains("1×28×28", e.Message);
    }

    [Fact]
    public void BundledSample_IsFoundAndHas10kAnd2kImages()
    {
        var location = DatasetCatalog.LocateIn("fashion-mnist", null, null, NoSystem, AppContext.BaseDirectory);

        Assert.True(location.IsSample);
        Assert.EndsWith(Path.Combine("data", "fashion-mnist-sample"), location.Directory);
        var (train, test) = DatasetCatalog.LoadFrom(DatasetCatalog.Get("fashion-mnist"), location.Directory);
        Assert.Equal((10_000, 2_000), (train.Count, test.Count));
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));
        Assert.All(train.ClassCounts(), c => Assert.InRange(c, 1, 10_000));
        Assert.All(test.ClassCounts(), c => Assert.InRange(c, 1, 2_000));
    }
}
