using System.Globalization;
using System.Text.Json;
using Winnow.Testing;
using Xunit.Abstractions;

namespace Winnow.Cli.Tests;

/// <summary>
/// The dynamic-sparsity issue's acceptance on the full Fashion-MNIST through the CLI: the Sparse Momentum
/// MNIST recipe (SGD lr 0.1, Nesterov momentum 0.9, wd 5e-4, batch 100, prune rate 0.5 cosine, magnitude
/// prune, momentum redistribution and growth, uniform init, update after every epoch but the last) on
/// LeNet-300-100 at 5% and 2% (10 epochs) and LeNet-5-Caffe at 5% (5 epochs), beside the static mask, SET,
/// RigL and the dense network (one seed; the closing note of the issue reports three).
/// </summary>
[Collection("Cli")]
public sealed class SparseTrainAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly TempDirectory _runs = new();

    public void Dispose() => _runs.Dispose();

    [EndToEndFact(Minutes = 3)]
    public void SparseMomentumOnLeNet300100At5And2Percent()
    {
        Recipe("lenet300", 10, "0.05");
        Recipe("lenet300", 10, "0.02");
    }

    [EndToEndFact(Minutes = 5)]
    public void SparseMomentumOnLeNet5CaffeAt5Percent() => Recipe("lenet5", 5, "0.05");

    private void Recipe(string model, int epochs, string density)
    {
        string e = epochs.ToString(Inv);
        string[] common = ["--model", model, "--epochs", e, "--data", RequiresFullDataFactAttribute.FullFashionMnistDirectory, "--batch-size", "100", "--lr", "0.1", "--momentum", "0.9", "--nesterov", "--weight-decay", "5e-4", "--seed", "17"];
        var acc = new Dictionary<string, (double Last, double Best, double Density)>();
        string dense = Path.Combine(_runs.Path, $"{model}-dense");
        CliRunner.RunOk(["train", "--out", dense, .. common]);
        var d = CliRunner.Summary(dense);
        acc["dense"] = (d.GetProperty("last_epoch_accuracy").GetDouble(), d.GetProperty("best_epoch_accuracy").GetDouble(), 1);
        foreach (var method in new[] { "sm", "static", "set", "rigl" })
        {
            string dir = Path.Combine(_runs.Path, $"{model}-{density}-{method}");
            CliRunner.RunOk(["sparse-train", "--method", method, "--density", density, "--out", dir, .. common]);
            var s = CliRunner.Summary(dir);
            acc[method] = (s.GetProperty("last_epoch_accuracy").GetDouble(), s.GetProperty("best_epoch_accuracy").GetDouble(), s.GetProperty("sparse_training").GetProperty("measured_density").GetDouble());
        }

        output.WriteLine($"{model} at density {density}: method  final  best  measured density");
        foreach (var (m, a) in acc)
        {
            output.WriteLine(string.Create(Inv, $"  {m,-7} {a.Last * 100:F2}%  {a.Best * 100:F2}%  {a.Density * 100:F3}%"));
        }

        double target = double.Parse(density, Inv);
        Assert.InRange(acc["sm"].Density, target * 0.97, target * 1.01);
        Assert.InRange(acc["rigl"].Density, target * 0.99, target * 1.01);
        Assert.True(acc["sm"].Last >= acc["static"].Last - 0.005, $"SM {acc["sm"].Last:P2} vs static {acc["static"].Last:P2}");
        Assert.True(acc["sm"].Last >= acc["dense"].Last - 0.05, $"SM {acc["sm"].Last:P2} vs dense {acc["dense"].Last:P2}");
    }
}
