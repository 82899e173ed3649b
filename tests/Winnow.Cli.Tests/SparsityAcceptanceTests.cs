using System.Globalization;
using System.Text.Json;
using Winnow.Testing;
using Xunit.Abstractions;

namespace Winnow.Cli.Tests;

/// <summary>
/// The sparsity issue's acceptance on the full Fashion-MNIST, through the CLI: IMP on LeNet-300-100
/// (20% global per level, rewind to initialisation, 10 epochs per level, 8 levels ≈ 16.8% density,
/// SGD lr 0.1 momentum 0.9 batch 100) within 0.5 pp of the dense network with the random-reinit
/// control reported; SNIP at initialisation and one-shot magnitude pruning of the trained dense model
/// (then fine-tuning), both at 5% density with the dense run's budget, on LeNet-300-100 and LeNet-5.
/// </summary>
[Collection("Cli")]
public sealed class SparsityAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly TempDirectory _runs = new();

    public void Dispose() => _runs.Dispose();

    [EndToEndFact(Minutes = 5)]
    public void LotteryTicketOnLeNet300100StaysWithinHalfAPointOfTheDenseNetwork()
    {
        string dir = Path.Combine(_runs.Path, "lottery");
        CliRunner.RunOk("lottery", "--model", "lenet300", "--data", RequiresFullDataFactAttribute.FullFashionMnistDirectory, "--epochs", "10", "--levels", "8",
            "--prune-fraction", "0.2", "--rewind", "0", "--lr", "0.1", "--momentum", "0.9", "--batch-size", "100", "--seed", "1", "--random-reinit", "--out", dir);
        var levels = File.ReadAllLines(Path.Combine(dir, "levels.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        output.WriteLine("level  density  best acc  last acc  reinit best  reinit last  seconds");
        foreach (var l in levels)
        {
            output.WriteLine(string.Create(Inv, $"{l.GetProperty("level").GetInt32(),5}  {l.GetProperty("density").GetDouble() * 100,6:F2}%  {Pct(l, "best_acc")}  {Pct(l, "last_acc")}  {Pct(l, "reinit_best_acc"),11}  {Pct(l, "reinit_last_acc"),11}  {l.GetProperty("seconds").GetDouble(),7:F1}"));
        }

        double dense = levels[0].GetProperty("last_acc").GetDouble();
        var final = levels[^1];
        double ticket = final.GetProperty("last_acc").GetDouble();
        Assert.Equal(9, levels.Count);
        Assert.InRange(final.GetProperty("density").GetDouble(), 0.1675, Math.Pow(0.8, 8));
        Assert.True(ticket >= dense - 0.005, string.Create(Inv, $"ticket {ticket * 100:F2}% at density {final.GetProperty("density").GetDouble() * 100:F2}% is more than 0.5 pp below dense {dense * 100:F2}%"));
    }

    [EndToEndFact(Minutes = 1)]
    public void SnipAndMagnitudeAtFivePercentOnLeNet300100() => SnipAndMagnitude("lenet300", epochs: 10, lr: 0.1);

    [EndToEndFact(Minutes = 3)]
    public void SnipAndMagnitudeAtFivePercentOnLeNet5() => SnipAndMagnitude("lenet5", epochs: 5, lr: 0.05);

    // Same budget for all three: the dense run's epochs (SNIP trains that long after pruning at
    // initialisation; magnitude pruning fine-tunes that long after pruning the trained dense model).
    private void SnipAndMagnitude(string model, int epochs, double lr)
    {
        string data = RequiresFullDataFactAttribute.FullFashionMnistDirectory;
        string e = epochs.ToString(Inv), rate = lr.ToString(Inv);
        string[] common = ["--data", data, "--lr", rate, "--momentum", "0.9", "--batch-size", "100", "--seed", "1"];
        string dense = Path.Combine(_runs.Path, model + "-dense"), snip = Path.Combine(_runs.Path, model + "-snip"), magnitude = Path.Combine(_runs.Path, model + "-magnitude");
        CliRunner.RunOk(["train", "--model", model, "--epochs", e, "--out", dense, .. common]);
        CliRunner.RunOk(["prune", "--when", "init", "--criterion", "snip", "--density", "0.05", "--model", model, "--epochs", e, "--out", snip, .. common]);
        CliRunner.RunOk(["prune", "--when", "trained", "--from", dense, "--criterion", "magnitude", "--density", "0.05", "--finetune-epochs", e, "--out", magnitude, .. common]);

        double denseAcc = CliRunner.Summary(dense).GetProperty("last_epoch_accuracy").GetDouble();
        var s = CliRunner.Summary(snip);
        var m = CliRunner.Summary(magnitude);
        double snipAcc = s.GetProperty("last_epoch_accuracy").GetDouble(), magAcc = m.GetProperty("last_epoch_accuracy").GetDouble();
        double afterPruning = m.GetProperty("pruning").GetProperty("accuracy_after_pruning").GetDouble();
        output.WriteLine(string.Create(Inv, $"{model}, {epochs} epochs, lr {lr}: dense {denseAcc * 100:F2}%; SNIP 5% (density {s.GetProperty("sparsity").GetProperty("masked_density").GetDouble() * 100:F2}%) {snipAcc * 100:F2}%; magnitude 5% one-shot {afterPruning * 100:F2}% right after pruning, {magAcc * 100:F2}% after {epochs} epochs of fine-tuning"));
        Assert.True(snipAcc > 0.8, string.Create(Inv, $"SNIP 5% on {model}: {snipAcc * 100:F2}%"));
        Assert.True(magAcc > 0.8, string.Create(Inv, $"magnitude 5% on {model}: {magAcc * 100:F2}%"));
    }

    private static string Pct(JsonElement row, string name)
        => row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (v.GetDouble() * 100).ToString("F2", Inv) + "%" : "-";
}
