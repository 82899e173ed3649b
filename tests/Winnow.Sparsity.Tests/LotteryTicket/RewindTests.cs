using Winnow.NN.Optim;
using Winnow.NN.Schedules;
using Winnow.NN.Training;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Sparsity.Tests.LotteryTicket;

public sealed class RewindTests
{
    private sealed class Recorder : ITrainingHook
    {
        public List<Dictionary<string, float[]>> States { get; } = [];

        public void OnTrainingStart(TrainingContext context) => States.Add(ImpFixture.Copy(context.Model));

        public void AfterStep(TrainingContext context) => States.Add(ImpFixture.Copy(context.Model));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void SnapshotIsTakenAfterExactlyKSteps(int k)
    {
        var model = ImpFixture.WithBatchNorm(2);
        var training = ImpFixture.Training(ImpFixture.WithBatchNorm);
        var trainer = new Trainer(model, training.CreateOptimizer(model), training.Options);
        var recorder = new Recorder();
        var hook = new RewindSnapshotHook(k);
        trainer.Hooks.Add(recorder);
        trainer.Hooks.Add(hook);
        trainer.Fit(training.TrainEpoch, training.StepsPerEpoch);

        Assert.Equal(k, hook.Snapshot!.Step);
        foreach (var (name, values) in recorder.States[k])
        {
            Assert.Equal(values, hook.Snapshot.State[name].ToArray());
        }

        Assert.NotEqual(recorder.States[k]["0.weight"], recorder.States[k + 1]["0.weight"]);
    }

    [Fact]
    public void LateRewindingResumesFromStepKInTheMiddleOfAnEpoch()
    {
        var model = ImpFixture.WithBatchNorm(6);
        var training = ImpFixture.Training(ImpFixture.WithBatchNorm, epochs: 3, steps: 4);
        var recorder = new Recorder();
        var reference = ImpFixture.WithBatchNorm(6);
        var refTrainer = new Trainer(reference, training.CreateOptimizer(reference), training.Options);
        refTrainer.Hooks.Add(recorder);
        refTrainer.Fit(training.TrainEpoch, training.StepsPerEpoch);

        var imp = new IterativeMagnitudePruning(model, training, new LotteryOptions { Levels = 1, Rewind = TrainingPoint.Parse("5it"), IgnoreOutputLayer = false });
        int level1Steps = 0;
        var epochs = new List<int>();
        imp.PhaseStarting += phase =>
        {
            if (phase.Level == 1)
            {
                Assert.Equal(5, phase.StartStep);
                foreach (var (name, t) in model.StateDict())
                {
                    var mask = imp.Masks.Contains(name) ? imp.Masks[name].ToArray() : null;
                    var expected = recorder.States[5][name];
                    var now = t.ToArray();
                    for (int i = 0; i < now.Length; i++)
                    {
                        Assert.Equal(mask is null || mask[i] != 0 ? expected[i] : 0f, now[i]);
                    }
                }
            }
        };
        imp.StepCompleted += (phase, _) => level1Steps += phase.Level == 1 ? 1 : 0;
        imp.EpochCompleted += (phase, m) => epochs.Add(phase.Level * 10 + m.Epoch);
        var result = imp.Run();

        Assert.Equal(12 - 5, level1Steps);
        Assert.Equal([0, 1, 2, 11, 12], epochs);
        Assert.Equal(7, result.Final.Ticket.Steps);
        Assert.Equal(2, result.Final.Ticket.Epochs);
    }

    [Fact]
    public void WindowSkipsTheDoneBatchesAndShiftsPerStepSchedules()
    {
        var training = ImpFixture.Training(ImpFixture.LeNet, epochs: 3, steps: 4);
        var perStep = training with { Options = training.Options with { Schedule = new StepLr(3, 0.5), SchedulePerStep = true } };
        var window = TrainingWindow.From(5, perStep);
        Assert.Equal(1, window.StartEpoch);
        Assert.Equal(1, window.SkipBatches);
        var expected = training.TrainEpoch(1).Skip(1).Select(b => b.Images.ToArray()).ToList();
        Assert.Equal(expected, window.Batches(training.TrainEpoch)(1).Select(b => b.Images.ToArray()).ToList());
        Assert.Equal(4, window.Batches(training.TrainEpoch)(2).Count());
        // The trainer's counter starts at 4 (epoch 1's first step) for true step 5.
        Assert.Equal(new StepLr(3, 0.5).Factor(5), window.Options.Schedule!.Factor(4));
        Assert.Equal(7, window.Steps(perStep.TotalSteps));

        var perEpoch = training with { Options = training.Options with { Schedule = new MultiStepLr([1, 2], 0.1) } };
        var fineTune = TrainingWindow.From(0, perEpoch, finalLearningRate: true);
        Assert.Equal(0.01, fineTune.Options.Schedule!.Factor(0), 12);
        Assert.Equal(0.01, fineTune.Options.Schedule.Factor(2), 12);
    }

    [Theory]
    [InlineData("0", 0, TrainingPointUnit.Iterations, 0L)]
    [InlineData("500it", 500, TrainingPointUnit.Iterations, 500L)]
    [InlineData("2ep", 2, TrainingPointUnit.Epochs, 200L)]
    [InlineData("75%", 75, TrainingPointUnit.Percent, 750L)]
    [InlineData(" 3EP ", 3, TrainingPointUnit.Epochs, 300L)]
    public void TrainingPointsParseAsOpenLthSteps(string text, long value, TrainingPointUnit unit, long step)
    {
        var p = TrainingPoint.Parse(text);
        Assert.Equal(value, p.Value);
        Assert.Equal(unit, p.Unit);
        Assert.Equal(step, p.ToStep(100, 1000));
        Assert.Equal(p, TrainingPoint.Parse(p.ToString()));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5ep")]
    [InlineData("abc")]
    [InlineData("120%")]
    [InlineData("")]
    public void BadTrainingPointsSayWhatIsExpected(string text)
    {
        var ex = Assert.Throws<FormatException>(() => TrainingPoint.Parse(text));
        Assert.Contains("Nit", ex.Message);
        Assert.Contains($"'{text}'", ex.Message);
    }

    [Fact]
    public void FineTuningTrainsAtTheFinalLearningRate()
    {
        var model = ImpFixture.LeNet(8);
        var training = ImpFixture.Training(ImpFixture.LeNet, epochs: 2);
        training = training with { Options = training.Options with { Schedule = new MultiStepLr([1], 0.1) } };
        var lrs = new List<(int Level, double Lr)>();
        var imp = new IterativeMagnitudePruning(model, training, new LotteryOptions { Levels = 1, Mode = RetrainMode.FineTuning });
        imp.EpochCompleted += (phase, m) => lrs.Add((phase.Level, m.LearningRate));
        imp.Run();
        Assert.Equal(0.05, lrs[0].Lr, 12);
        Assert.Equal(0.005, lrs[1].Lr, 12);
        Assert.All(lrs.Where(l => l.Level == 1), l => Assert.Equal(0.005, l.Lr, 12));
    }
}
