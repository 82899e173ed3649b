using Winnow.NN.Training;
using Winnow.Sparsity.ContinuousSparsification;
using Winnow.Sparsity.Tests.LotteryTicket;
using Cs = Winnow.Sparsity.ContinuousSparsification.ContinuousSparsification;

namespace Winnow.Sparsity.Tests.ContinuousSparsification;

/// <summary>The CS orchestrator on tiny models and synthetic data: rounds, temperature, rewind, modes.</summary>
public sealed class ContinuousSparsificationTests
{
    private static readonly CsOptions Fast = new() { Rounds = 2, RewindEpoch = 1, Lambda = 1e-3, FinalTemperature = 100 };

    [Fact]
    public void RewindSnapshotHoldsWeightsAndBatchNormStatsBeforeEpochKButNoLogits()
    {
        var model = ImpFixture.WithBatchNorm(1);
        var cs = new Cs(model, ImpFixture.Training(ImpFixture.WithBatchNorm, epochs: 3), Fast);
        Dictionary<string, float[]>? afterEpoch0 = null;
        Dictionary<string, float[]>? atTicketStart = null;
        cs.EpochCompleted += (round, m) =>
        {
            if (round == 0 && m.Epoch == 0)
            {
                afterEpoch0 = ImpFixture.Copy(model);
            }
        };
        cs.PhaseStarting += phase =>
        {
            if (phase == Fast.Rounds)
            {
                atTicketStart = ImpFixture.Copy(model);
            }
        };
        cs.Run();

        var snapshot = cs.RewindSnapshot!;
        Assert.Equal(3, snapshot.Step); // before epoch 1 of 3 steps per epoch
        Assert.Equal(afterEpoch0!.Keys.Order(), snapshot.State.Keys.Order());
        Assert.Contains("1.running_mean", snapshot.State.Keys);
        Assert.Contains("1.running_var", snapshot.State.Keys);
        Assert.DoesNotContain(snapshot.State.Keys, k => k.Contains("mask", StringComparison.Ordinal));
        Assert.Contains(afterEpoch0["1.running_mean"], v => v != 0f);
        foreach (var (name, values) in afterEpoch0)
        {
            Assert.Equal(values, snapshot.State[name].ToArray());
            Assert.Equal(values, atTicketStart![name]); // the ticket retrains from the rewound state
        }
    }

    [Fact]
    public void RoundsAnnealTheTemperatureAndReportHardDensity()
    {
        var model = ImpFixture.LeNet(2);
        var betas = new List<float>();
        var cs = new Cs(model, ImpFixture.Training(ImpFixture.LeNet, epochs: 3), Fast with { InitialValue = 0.05f });
        cs.StepCompleted += p =>
        {
            if (p.Step == 1)
            {
                betas.Add(cs.Masks.Beta); // β during the epoch (the epoch-end hook already moves to the next one)
            }
        };
        var result = cs.Run();

        Assert.Equal([1f, 10f, 100f, 1f, 10f, 100f], betas.Take(6).ToArray());
        Assert.Equal(2, result.Rounds.Count);
        Assert.All(result.Rounds, r => Assert.Equal(100, r.Temperature, 3));
        Assert.All(result.Rounds, r => Assert.InRange(r.HardAccuracy, 0, 1));
        Assert.Equal(cs.Masks.Kept, result.Kept);
        Assert.Equal(35_800, result.Total);
        Assert.True(cs.Masks.Hard);
        Assert.Equal(3, result.Ticket.Count);
        Assert.Equal(9, result.TotalEpochs);
        Assert.Contains(cs.Masks.Logits, p => p.ToArray().Any(v => v != 0.05f)); // the mask optimizer stepped
    }

    [Fact]
    public void LogitsAreClippedBetweenRoundsButNotAfterTheLast()
    {
        var model = ImpFixture.LeNet(3);
        float maxAtRound1Start = float.NaN;
        var cs = new Cs(model, ImpFixture.Training(ImpFixture.LeNet, epochs: 2), Fast with { InitialValue = 0f, Lambda = 0, MaskLr = 1.0 });
        cs.PhaseStarting += phase =>
        {
            if (phase == 1)
            {
                maxAtRound1Start = cs.Masks.Logits.Max(p => p.ToArray().Max());
            }
        };
        cs.Run();
        Assert.Equal(0f, maxAtRound1Start);
        Assert.Contains(cs.Masks.Logits, p => p.ToArray().Any(v => v > 0f));
    }

    [Fact]
    public void PruningModeKeepsTheTrainedWeightsAndTargetDensityIsExact()
    {
        var model = ImpFixture.LeNet(4);
        Dictionary<string, float[]>? trained = null;
        var cs = new Cs(model, ImpFixture.Training(ImpFixture.LeNet, epochs: 2), Fast with { Mode = CsMode.Pruning, Rounds = 1, TargetDensity = 0.2 });
        cs.RoundCompleted += _ => trained = ImpFixture.Copy(model);
        var result = cs.Run();

        Assert.Null(cs.RewindSnapshot);
        Assert.Empty(result.Ticket);
        Assert.Equal((long)Math.Round(0.2 * 35_800), result.Kept);
        foreach (var (name, values) in trained!)
        {
            Assert.Equal(values, model.StateDict()[name].ToArray());
        }
    }

    [Fact]
    public void InvalidOptionsFailWithTheirName()
    {
        var training = ImpFixture.Training(ImpFixture.LeNet, epochs: 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Cs(ImpFixture.LeNet(1), training, new CsOptions { RewindEpoch = 2 }));
        Assert.Contains("rewind epoch", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cs(ImpFixture.LeNet(1), training, new CsOptions { Rounds = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cs(ImpFixture.LeNet(1), training, new CsOptions { TargetDensity = 1.5 }));
    }
}
