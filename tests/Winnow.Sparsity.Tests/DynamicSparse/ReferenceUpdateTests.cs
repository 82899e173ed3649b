using System.Text.Json;
using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Optim;
using Winnow.Sparsity.DynamicSparse;

namespace Winnow.Sparsity.Tests.DynamicSparse;

public sealed class ReferenceUpdateTests
{
    /// <summary>
    /// One Sparse Momentum update on the state scripts/reference/sm_update_golden.py fed to the PyTorch
    /// re-implementation of sparse_learning's Masking (20-12-8-4 MLP, density 0.3, p = 0.4, the last layer
    /// 87.5% dense with large momentum): the same masks, removed counts, budgets, protected rate, capping
    /// passes and adjusted growth.
    /// </summary>
    [Fact]
    public void OneUpdateMatchesThePyTorchReferenceExactly()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DynamicSparse", "sm_update_golden.json")));
        var root = golden.RootElement;
        var rng = new Rng(1);
        var model = new Sequential(new Linear(20, 12, rng), new ReLU(), new Linear(12, 8, rng), new ReLU(), new Linear(8, 4, rng));
        var ds = new DynamicSparsity(model, DynamicSparseOptions.SparseMomentum(root.GetProperty("density").GetDouble()) with
        {
            Schedule = "constant",
            PruneRate = root.GetProperty("prune_rate").GetDouble(),
        });
        var sgd = new Sgd(model.Parameters(), 0.0, momentum: 0.9);
        foreach (var p in model.Parameters())
        {
            p.SetGrad(new float[p.Length]);
        }

        sgd.Step();
        var layers = root.GetProperty("layers").EnumerateArray().ToArray();
        foreach (var layer in layers)
        {
            var target = ds.Masks.Targets.Single(t => t.Name == layer.GetProperty("name").GetString());
            Floats(layer, "weight").CopyTo(target.Weight.Data);
            Floats(layer, "momentum").CopyTo(sgd.GetMomentumBuffer(target.Weight)!.Data);
            ds.Masks.Set(target.Name, Floats(layer, "mask"));
        }

        var report = ds.RunUpdate(null, 1, 10, sgd);

        Assert.Equal(root.GetProperty("capping_iterations").GetInt32(), report.CappingIterations);
        Assert.Equal(root.GetProperty("adjusted_growth").GetDouble(), report.AdjustedGrowth, 9);
        for (int l = 0; l < layers.Length; l++)
        {
            var name = layers[l].GetProperty("name").GetString()!;
            Assert.Equal(layers[l].GetProperty("removed").GetDouble(), report.Layers[l].Removed);
            Assert.Equal(layers[l].GetProperty("requested").GetInt32(), report.Layers[l].Requested);
            Assert.Equal(layers[l].GetProperty("prune_rate").GetDouble(), report.Layers[l].PruneRate, 12);
            Assert.Equal(Floats(layers[l], "mask_after"), ds.Masks[name].Data.ToArray());
        }
    }

    private static float[] Floats(JsonElement layer, string key) => layer.GetProperty(key).EnumerateArray().Select(e => e.GetSingle()).ToArray();
}
