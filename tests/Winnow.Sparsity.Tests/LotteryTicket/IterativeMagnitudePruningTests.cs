using Winnow.NN;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Sparsity.Tests.LotteryTicket;

public sealed class IterativeMagnitudePruningTests
{
    [Fact]
    public void LevelDensitiesFollowTheGeometricSequenceWithTheOpenLthOffByOne()
    {
        var model = ImpFixture.LeNet(1);
        var imp = new IterativeMagnitudePruning(model, ImpFixture.Training(ImpFixture.LeNet, epochs: 1), new LotteryOptions { Levels = 4, PruneFraction = 0.2 });
        Assert.Equal(["fc3.weight"], imp.IgnoredTensors);
        var result = imp.Run();

        Assert.Equal(5, result.Levels.Count);
        long expected = 35_800;
        foreach (var level in result.Levels)
        {
            // open_lth: τ = |w| at index ⌈f·N_rem⌉, keep |w| > τ, so ⌈f·N_rem⌉ + 1 go per level (no ties with random weights).
            Assert.Equal(expected, level.Kept);
            Assert.Equal(35_800, level.Total);
            Assert.Equal(level.Kept, level.KeptAllWeights);
            Assert.InRange(level.Density, Math.Pow(0.8, level.Level) - 1e-3, Math.Pow(0.8, level.Level));
            expected -= (long)Math.Ceiling(0.2 * expected) + 1;
        }

        // The output layer is out of the pool (open_lth's LeNet) but counted in N_rem.
        Assert.Equal(1000, imp.Masks.KeptIn("fc3.weight"));
    }

    [Fact]
    public void WeightRewindingRestoresTheInitialWeightsAndBatchNormBuffersOnKeptPositions()
    {
        var model = ImpFixture.WithBatchNorm(3);
        var initial = ImpFixture.Copy(model);
        var imp = new IterativeMagnitudePruning(model, ImpFixture.Training(ImpFixture.WithBatchNorm), new LotteryOptions { Levels = 2, IgnoreOutputLayer = false });
        Dictionary<string, float[]>? trainedDense = null;
        int checkedLevels = 0;
        imp.PhaseCompleted += r => trainedDense ??= ImpFixture.Copy(model);
        imp.PhaseStarting += phase =>
        {
            if (phase.Level == 0)
            {
                return;
            }

            checkedLevels++;
            foreach (var (name, t) in model.StateDict())
            {
                var now = t.ToArray();
                var mask = imp.Masks.Contains(name) ? imp.Masks[name].ToArray() : null;
                for (int i = 0; i < now.Length; i++)
                {
                    Assert.Equal(mask is null || mask[i] != 0 ? initial[name][i] : 0f, now[i]);
                }
            }
        };
        imp.Run();

        Assert.Equal(2, checkedLevels);
        Assert.NotEqual(initial["1.running_mean"], trainedDense!["1.running_mean"]);
        Assert.Equal(Enumerable.Repeat(1f, 32), initial["1.running_var"]);
    }

    [Fact]
    public void MaskedWeightsStayExactlyZeroThroughRetraining()
    {
        var model = ImpFixture.LeNet(4);
        var imp = new IterativeMagnitudePruning(model, ImpFixture.Training(ImpFixture.LeNet), new LotteryOptions { Levels = 2, Mode = RetrainMode.LearningRateRewinding });
        int checks = 0;
        void CheckZeros()
        {
            foreach (var t in imp.Masks.Targets)
            {
                var w = t.Weight.Data;
                var m = imp.Masks[t.Name].Data;
                for (int i = 0; i < w.Length; i++)
                {
                    Assert.True(m[i] != 0 || w[i] == 0f, $"{t.Name}[{i}] = {w[i]} is pruned but not zero");
                }
            }

            checks++;
        }

        imp.StepCompleted += (_, _) => CheckZeros();
        imp.PhaseCompleted += _ => CheckZeros();
        var result = imp.Run();
        Assert.Equal(3 * 6 + 3, checks);
        Assert.True(result.Final.Density < 0.65);
    }

    [Fact]
    public void RandomReinitControlUsesFreshWeightsWithTheSameMasks()
    {
        var model = ImpFixture.LeNet(5);
        var initial = ImpFixture.Copy(model);
        var fresh = ImpFixture.Copy(ImpFixture.LeNet(99));
        var imp = new IterativeMagnitudePruning(model, ImpFixture.Training(ImpFixture.LeNet), new LotteryOptions
        {
            Levels = 2,
            RandomReinitControl = true,
            ControlSeed = 99,
            Mode = RetrainMode.LearningRateRewinding,
        });
        var ticketTrained = new Dictionary<int, Dictionary<string, float[]>>();
        var ticketMasks = new Dictionary<int, float[]>();
        int controls = 0;
        imp.PhaseCompleted += r =>
        {
            if (!r.Phase.IsControl)
            {
                ticketTrained[r.Phase.Level] = ImpFixture.Copy(model);
                ticketMasks[r.Phase.Level] = imp.Masks["fc1.weight"].ToArray();
            }
        };
        imp.PhaseStarting += phase =>
        {
            var w = model.StateDict()["fc1.weight"].ToArray();
            var mask = imp.Masks["fc1.weight"].ToArray();
            if (phase.IsControl)
            {
                controls++;
                Assert.Equal(ticketMasks[phase.Level], mask);
                for (int i = 0; i < w.Length; i++)
                {
                    Assert.Equal(mask[i] != 0 ? fresh["fc1.weight"][i] : 0f, w[i]);
                }

                Assert.NotEqual(initial["fc1.weight"], fresh["fc1.weight"]);
            }
            else if (phase.Level == 2)
            {
                // LR rewinding keeps the level-1 TICKET's weights: the control in between was undone.
                var before = ticketTrained[1]["fc1.weight"];
                for (int i = 0; i < w.Length; i++)
                {
                    Assert.Equal(mask[i] != 0 ? before[i] : 0f, w[i]);
                }
            }
        };
        var result = imp.Run();
        Assert.Equal(2, controls);
        Assert.Null(result.Dense.Control);
        Assert.All(result.Levels.Skip(1), l => Assert.Equal(l.Kept, l.Control!.Phase.Kept));
    }

    [Fact]
    public void BadOptionsAreRejectedWithTheValue()
    {
        var model = ImpFixture.LeNet(1);
        var training = ImpFixture.Training(ImpFixture.LeNet);
        Assert.Contains("[0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeMagnitudePruning(model, training, new LotteryOptions { PruneFraction = 1 })).Message);
        Assert.Contains("before the end of training (6 steps", Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeMagnitudePruning(model, training, new LotteryOptions { Rewind = TrainingPoint.Epochs(2) })).Message);
        Assert.Throws<ArgumentException>(() => new IterativeMagnitudePruning(model, training with { CreateModel = null }, new LotteryOptions { RandomReinitControl = true }));
    }

    [Fact]
    public void ResidualNetworksPruneTheirClassifierByDefault()
    {
        Assert.True(LotteryOptions.IgnoresOutputLayerByDefault(ImpFixture.LeNet(1)));
        Assert.False(LotteryOptions.IgnoresOutputLayerByDefault(new NN.Models.ResNetCifar(20, new Rng(1))));
    }
}
