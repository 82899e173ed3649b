using System.Globalization;
using Winnow.Testing;
using Xunit.Abstractions;

namespace Winnow.Cli.Tests;

/// <summary>
/// The subnetwork issue's acceptance on the full Fashion-MNIST through the CLI (shortened to 5 epochs so
/// each check stays within ~3 minutes; scripts/subnet-fashion-acceptance.sh runs the full table): FC at
/// keep 0.5 with biprop MPT-1/32 and edge-popup (SGD lr 0.1, momentum 0.9, wd 1e-4, cosine, batch 128)
/// and MPT-1/1 (FC_BinAct, Adam lr 0.1 without weight decay). Chance is 10%; the floors sit a few points
/// under what one seed reaches, and the compact ticket must reproduce the last-epoch accuracy.
/// </summary>
[Collection("Cli")]
public sealed class SubnetAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly TempDirectory _runs = new();

    public void Dispose() => _runs.Dispose();

    [EndToEndFact(Minutes = 3)]
    public void FcMpt132AndEdgePopupAtKeepHalf()
    {
        string[] sgd = ["--optimizer", "sgd", "--lr", "0.1", "--momentum", "0.9", "--weight-decay", "1e-4"];
        double mpt = Run("biprop", false, sgd);
        double edge = Run("edge-popup", false, sgd);
        Assert.True(mpt >= 0.84, $"MPT-1/32 FC keep 0.5: {mpt:P2}");
        Assert.True(edge >= 0.84, $"edge-popup FC keep 0.5: {edge:P2}");
    }

    [EndToEndFact(Minutes = 2)]
    public void FcMpt11AtKeepHalf()
    {
        double acc = Run("biprop", true, ["--optimizer", "adam", "--lr", "0.1"]);
        Assert.True(acc >= 0.78, $"MPT-1/1 FC keep 0.5: {acc:P2}");
    }

    private double Run(string method, bool binary, string[] optimizer)
    {
        string dir = Path.Combine(_runs.Path, method + (binary ? "-11" : ""));
        string[] args = ["subnet", "--model", "fc", "--method", method, "--keep", "0.5", "--epochs", "5", "--batch-size", "128", "--schedule", "cosine", "--seed", "0",
            "--data", RequiresFullDataFactAttribute.FullFashionMnistDirectory, "--out", dir, .. optimizer];
        CliRunner.RunOk(binary ? [.. args, "--binary-activations"] : args);
        var s = CliRunner.Summary(dir);
        double last = s.GetProperty("last_epoch_accuracy").GetDouble();
        double best = s.GetProperty("best_epoch_accuracy").GetDouble();
        output.WriteLine(string.Create(Inv, $"{method}{(binary ? " MPT-1/1" : "")}: last {last * 100:F2}%, best {best * 100:F2}%, ticket {s.GetProperty("subnet").GetProperty("ticket_file_bytes").GetInt64():N0} bytes"));
        var (code, evalOut, err) = CliRunner.Run("eval", dir, "--data", RequiresFullDataFactAttribute.FullFashionMnistDirectory);
        Assert.True(code == 0, err);
        Assert.Contains(string.Create(Inv, $"accuracy {last * 100:F2}%"), evalOut);
        return last;
    }
}
