using System.Globalization;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Serialization;
using Winnow.Testing;

namespace Winnow.NN.Tests.Serialization;

public class CheckpointTests
{
    [Fact]
    public void RoundTrip_ResumedRunIsBitIdentical()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        var (model, optimizer) = Build(seed: 1);
        var gradRng = new Rng(42);
        Steps(model, optimizer, gradRng, 2);
        var data = new Rng(7);
        var dropout = new Rng(8);
        data.NextGaussian(); // leaves a spare Gaussian in the state
        dropout.NextUInt64();
        var meta = new Dictionary<string, string> { [Checkpoint.EpochKey] = "2", [Checkpoint.GlobalStepKey] = "9007199254740993", [Checkpoint.ConfigKey] = "{\"lr\":0.1}" };
        var mask = Tensor.FromArray([1f, 0f, 1f], 3);
        Checkpoint.Save(path, model, optimizer, new Dictionary<string, Rng> { ["data"] = data, ["dropout"] = dropout }, meta,
            new Dictionary<string, Tensor> { ["masks.fc1.weight"] = mask });

        var (resumed, resumedOptimizer) = Build(seed: 99);
        var resumedData = new Rng(1);
        var resumedDropout = new Rng(2);
        var checkpoint = Checkpoint.Load(path);
        checkpoint.ApplyTo(resumed, resumedOptimizer, new Dictionary<string, Rng> { ["data"] = resumedData, ["dropout"] = resumedDropout });

        Steps(model, optimizer, gradRng.Clone(), 1);
        Steps(resumed, resumedOptimizer, gradRng.Clone(), 1);
        foreach (var (name, p) in model.NamedParameters())
        {
            TensorAssert.BitIdentical(p.Data, resumed.StateDict()[name].Data, name);
            TensorAssert.BitIdentical(optimizer.GetMomentumBuffer(p)!.Data, resumedOptimizer.GetMomentumBuffer((Parameter)resumed.StateDict()[name])!.Data, name + " momentum");
        }

        Assert.Equal(data.NextGaussian(), resumedData.NextGaussian());
        Assert.Equal(data.NextGaussian(), resumedData.NextGaussian());
        Assert.Equal(dropout.NextUInt64(), resumedDropout.NextUInt64());

        Assert.Equal(9007199254740993L, checkpoint.GetInt64(Checkpoint.GlobalStepKey));
        Assert.Equal(2, checkpoint.GetInt64(Checkpoint.EpochKey));
        Assert.Equal("{\"lr\":0.1}", checkpoint.GetString(Checkpoint.ConfigKey));
        Assert.Equal(nameof(Sgd), checkpoint.OptimizerType);
        Assert.False(string.IsNullOrEmpty(checkpoint.WinnowVersion));
        Assert.True(DateTime.TryParse(checkpoint.CreatedUtc, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _));
        Assert.Equal(mask.ToArray(), checkpoint.Extras["masks.fc1.weight"].ToArray());
        Assert.Contains("__optimizer__.fc1.weight.momentum_buffer", checkpoint.File.Names);
        Assert.Contains("__extras__.masks.fc1.weight", checkpoint.File.Names);
        Assert.Contains("fc3.bias", checkpoint.File.Names);
    }

    [Fact]
    public void BatchNormCounter_IsStoredAsInt64_AndRestored()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bn.safetensors");
        var model = new Sequential(new Linear(3, 2, new Rng(1)), new BatchNorm1d(2));
        model.StateDict()["1.num_batches_tracked"].Data[0] = 12;
        Checkpoint.Save(path, model);

        var checkpoint = Checkpoint.Load(path);
        Assert.Equal(SafeTensorDType.I64, checkpoint.File.DTypes["1.num_batches_tracked"]);
        var fresh = new Sequential(new Linear(3, 2, new Rng(2)), new BatchNorm1d(2));
        checkpoint.ApplyTo(fresh);
        Assert.Equal(12f, fresh.StateDict()["1.num_batches_tracked"].Data[0]);
        TensorAssert.BitIdentical(model.StateDict()["0.weight"].Data, fresh.StateDict()["0.weight"].Data);
    }

    [Fact]
    public void WrongModel_MessageNamesFileAndTensor_AndChangesNothing()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        var (model, optimizer) = Build(seed: 1);
        Checkpoint.Save(path, model, optimizer);

        var other = new LeNet300100(new Rng(3), inputFeatures: 100);
        other.NameTensors();
        float before = other.StateDict()["fc2.weight"].Data[0];
        var e = Assert.Throws<SerializationException>(() => Checkpoint.Load(path).ApplyTo(other));
        Assert.Contains(Path.GetFullPath(path), e.Message);
        Assert.Contains("'fc1.weight' has shape [300, 784] in the state but [300, 100] in the model", e.Message);
        Assert.Equal(before, other.StateDict()["fc2.weight"].Data[0]);

        var only = Assert.Throws<SerializationException>(() => Checkpoint.LoadModelOnly(path, other));
        Assert.Contains(Path.GetFullPath(path), only.Message);
        Assert.Contains("'fc1.weight'", only.Message);
    }

    [Fact]
    public void WrongOptimizerAndRngs_AreListed_AndNothingChanges()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        var (model, optimizer) = Build(seed: 1);
        Steps(model, optimizer, new Rng(4), 1);
        Checkpoint.Save(path, model, optimizer, new Dictionary<string, Rng> { ["data"] = new Rng(5) });

        var fresh = new LeNet300100(new Rng(6));
        fresh.NameTensors();
        float before = fresh.StateDict()["fc1.weight"].Data[0];
        var adam = new Adam(fresh.Parameters(), lr: 1e-3);
        var rng = new Rng(9);
        var e = Assert.Throws<SerializationException>(() =>
            Checkpoint.Load(path).ApplyTo(fresh, adam, new Dictionary<string, Rng> { ["shuffle"] = rng }));
        Assert.Contains(Path.GetFullPath(path), e.Message);
        Assert.Contains("comes from Sgd but the optimizer given is Adam", e.Message);
        Assert.Contains("no RNG state named 'shuffle' (saved: 'data')", e.Message);
        Assert.Contains("RNG state 'data' is saved", e.Message);
        Assert.Equal(before, fresh.StateDict()["fc1.weight"].Data[0]);
        Assert.Equal(new Rng(9).NextUInt64(), rng.NextUInt64());
    }

    [Fact]
    public void LoadModelOnly_IgnoresPrefixedTensors_AndReadsPlainSafetensors()
    {
        using var dir = new TempDirectory();
        var (model, optimizer) = Build(seed: 1);
        Steps(model, optimizer, new Rng(4), 1);
        string ckpt = dir.File("ckpt.safetensors");
        Checkpoint.Save(ckpt, model, optimizer, metadata: new Dictionary<string, string> { ["epoch"] = "4" });
        string plain = dir.File("plain.safetensors");
        SafeTensors.Save(plain, model.StateDict());

        foreach (var path in new[] { ckpt, plain })
        {
            var fresh = new LeNet300100(new Rng(8));
            var meta = Checkpoint.LoadModelOnly(path, fresh);
            foreach (var (name, t) in model.StateDict())
            {
                TensorAssert.BitIdentical(t.Data, fresh.StateDict()[name].Data, name);
            }

            Assert.Equal(path == ckpt ? "4" : null, meta.GetValueOrDefault("epoch"));
        }

        var notCheckpoint = Assert.Throws<SerializationException>(() => Checkpoint.Load(plain));
        Assert.Contains(Path.GetFullPath(plain), notCheckpoint.Message);
        Assert.Contains("LoadModelOnly", notCheckpoint.Message);
    }

    [Fact]
    public void Save_RejectsReservedMetadataKeys()
    {
        using var dir = new TempDirectory();
        var (model, _) = Build(seed: 1);
        var e = Assert.Throws<ArgumentException>(() =>
            Checkpoint.Save(dir.File("c.safetensors"), model, metadata: new Dictionary<string, string> { ["winnow.version"] = "x" }));
        Assert.Contains("winnow.version", e.Message);
        Assert.Empty(dir.FileNames());
    }

    private static (LeNet300100 Model, Sgd Optimizer) Build(ulong seed)
    {
        var model = new LeNet300100(new Rng(seed));
        model.NameTensors();
        return (model, new Sgd(model.Parameters(), lr: 0.05, momentum: 0.9, weightDecay: 5e-4));
    }

    private static void Steps(Module model, Optimizer optimizer, Rng gradRng, int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            foreach (var p in model.Parameters())
            {
                var g = new float[p.Length];
                gradRng.FillNormal(g, 0, 0.1f);
                p.SetGrad(g);
            }

            optimizer.Step();
        }
    }
}
