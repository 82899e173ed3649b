using System.Text.Json;
using Winnow.Testing;
using Xunit.Abstractions;

namespace Winnow.Cli.Tests;

/// <summary>
/// The training issue's acceptance recipes on the full Fashion-MNIST (normalised 0.2860/0.3530,
/// SGD momentum 0.9, batch 100, no weight decay), median over three seeds, through the CLI.
/// </summary>
[Collection("Cli")]
public sealed class AcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _runs = new();

    public void Dispose() => _runs.Dispose();

    [EndToEndFact(Minutes = 1)]
    public void LeNet300100ReachesTheReferenceAccuracy() => CheckMedian("lenet300", epochs: 10, lr: 0.1, floor: 0.860);

    [EndToEndFact(Minutes = 3)]
    public void LeNet5CaffeReachesTheReferenceAccuracy() => CheckMedian("lenet5", epochs: 5, lr: 0.05, floor: 0.895);

    private void CheckMedian(string model, int epochs, double lr, double floor)
    {
        var accuracies = new List<double>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            string dir = Path.Combine(_runs.Path, $"{model}-{seed}");
            var (code, stdout, err) = CliRunner.Run("train", "--model", model, "--data", RequiresFullDataFactAttribute.FullFashionMnistDirectory,
                "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lr", lr.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--momentum", "0.9", "--batch-size", "100", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", dir);
            Assert.True(code == 0, err + stdout);
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            double acc = summary.RootElement.GetProperty("last_epoch_accuracy").GetDouble();
            double ips = summary.RootElement.GetProperty("mean_train_images_per_s").GetDouble();
            output.WriteLine($"{model} seed {seed}: test accuracy {acc:P2}, {ips:F0} images/s");
            accuracies.Add(acc);
        }

        accuracies.Sort();
        Assert.True(accuracies[1] >= floor, $"{model}: median test accuracy {accuracies[1]:P2} over seeds 1–3 is below {floor:P1} (all: {string.Join(", ", accuracies.Select(a => a.ToString("P2", System.Globalization.CultureInfo.InvariantCulture)))}).");
    }
}
