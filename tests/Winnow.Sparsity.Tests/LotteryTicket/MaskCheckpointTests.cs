using Winnow.NN;
using Winnow.NN.Models;
using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Tests.LotteryTicket;

public sealed class MaskCheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "winnow-masks-" + Guid.NewGuid().ToString("N"));

    public MaskCheckpointTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    private static MaskSet Striped(Module model, int period, MaskableSelection? selection = null)
    {
        var masks = new MaskSet(model, selection);
        foreach (var t in masks.Targets)
        {
            masks.Set(t.Name, Enumerable.Range(0, t.Count).Select(i => i % period == 0 ? 1f : 0f).ToArray());
        }

        return masks;
    }

    [Fact]
    public void MasksRoundTripThroughCheckpointExtras()
    {
        var model = new LeNet300100(new Rng(1));
        var masks = Striped(model, 3, new MaskableSelection { IncludeLast = false });
        string path = Path.Combine(_dir, "a.safetensors");
        Checkpoint.Save(path, model, extras: MaskCheckpoint.ToExtras(masks));

        var data = Checkpoint.Load(path);
        Assert.Contains("masks.fc1.weight", data.Extras.Keys);
        var loaded = MaskCheckpoint.TryLoad(new LeNet300100(new Rng(2)), data)!;
        Assert.Equal(["fc1.weight", "fc2.weight"], loaded.Targets.Select(t => t.Name).ToArray());
        Assert.Equal(masks.Kept, loaded.Kept);
        Assert.Equal(masks["fc2.weight"].ToArray(), loaded["fc2.weight"].ToArray());
        Assert.Null(MaskCheckpoint.TryLoad(model, LoadPlain(model)));
    }

    [Fact]
    public void MasksOfAnotherModelAreRejectedNamingTheFile()
    {
        var lenet5 = new LeNet5Caffe(new Rng(1));
        string path = Path.Combine(_dir, "lenet5.safetensors");
        Checkpoint.Save(path, lenet5, extras: MaskCheckpoint.ToExtras(Striped(lenet5, 2)));
        var ex = Assert.Throws<ArgumentException>(() => MaskCheckpoint.TryLoad(new LeNet300100(new Rng(1)), Checkpoint.Load(path)));
        Assert.Contains(path, ex.Message);
        Assert.Contains("'conv1.weight' is not a conv or linear weight", ex.Message);

        var small = new LeNet300100(new Rng(1), inputFeatures: 16);
        string wrongShape = Path.Combine(_dir, "small.safetensors");
        Checkpoint.Save(wrongShape, small, extras: MaskCheckpoint.ToExtras(Striped(small, 2)));
        var ex2 = Assert.Throws<ArgumentException>(() => MaskCheckpoint.TryLoad(new LeNet300100(new Rng(1)), Checkpoint.Load(wrongShape)));
        Assert.Contains(wrongShape, ex2.Message);
        Assert.Contains("has shape [300, 16] but the weight has [300, 784]", ex2.Message);
    }

    [Fact]
    public void OverlapGivesJaccardContainmentAndTheRandomBaseline()
    {
        var model = new LeNet300100(new Rng(1), inputFeatures: 16);
        var a = Striped(model, 2).Snapshot();
        var b = Striped(model, 4).Snapshot();
        var overlap = MaskOverlap.Compare(a, b);
        var all = overlap.Overall;
        Assert.Equal(all.KeptB, all.Both);
        Assert.Equal(1.0, all.BInA, 12);
        Assert.Equal(0.5, all.AInB, 12);
        Assert.Equal(0.5, all.Jaccard, 12);
        Assert.Equal(0.5 * 0.25 / (0.5 + 0.25 - 0.125), all.RandomJaccard, 12);

        // A tensor masked only in one set counts as dense in the other.
        b.Remove("fc3.weight");
        var fc3 = MaskOverlap.Compare(a, b).Layers.Single(l => l.Name == "fc3.weight");
        Assert.Equal(fc3.Total, fc3.KeptB);
        Assert.Equal(1.0, fc3.AInB);

        var other = Striped(new LeNet300100(new Rng(1)), 2).Snapshot();
        Assert.Contains("different models", Assert.Throws<ArgumentException>(() => MaskOverlap.Compare(a, other)).Message);
    }

    private CheckpointData LoadPlain(Module model)
    {
        string path = Path.Combine(_dir, "plain.safetensors");
        Checkpoint.Save(path, model);
        return Checkpoint.Load(path);
    }
}
