using Winnow.NN;
using Winnow.NN.Optim;
using Winnow.NN.Schedules;

namespace Winnow.NN.Tests.Schedules;

public class ScheduleTests
{
    [Fact]
    public void ConstantLr_IsConstant()
    {
        Assert.Equal(1.0, new ConstantLr().Factor(0));
        Assert.Equal(0.5, new ConstantLr(0.5).Factor(1000));
    }

    [Fact]
    public void StepLr_DecaysEveryStepSizePeriods()
    {
        var s = new StepLr(30, 0.1);
        Assert.Equal(1.0, s.Factor(0));
        Assert.Equal(1.0, s.Factor(29));
        Assert.Equal(0.1, s.Factor(30), 15);
        Assert.Equal(0.1, s.Factor(59), 15);
        Assert.Equal(0.01, s.Factor(60), 15);
    }

    [Fact]
    public void MultiStepLr_DecaysAtEachMilestone()
    {
        var s = new MultiStepLr([80, 120], 0.1);
        Assert.Equal(1.0, s.Factor(79));
        Assert.Equal(0.1, s.Factor(80), 15);
        Assert.Equal(0.1, s.Factor(119), 15);
        Assert.Equal(0.01, s.Factor(120), 15);
        Assert.Equal(0.01, s.Factor(500), 15);

        // A repeated milestone decays twice (PyTorch counts milestones).
        Assert.Equal(0.25, new MultiStepLr([5, 5], 0.5).Factor(5), 15);
    }

    [Fact]
    public void CosineAnnealing_MatchesClosedForm()
    {
        var s = new CosineAnnealingLr(10);
        Assert.Equal(1.0, s.Factor(0), 15);
        Assert.Equal(0.5, s.Factor(5), 15);
        Assert.Equal(0.0, s.Factor(10), 15);

        // PyTorch: base 0.1, eta_min 0.001, T_max 10 → lr(3) = 0.001 + 0.099·(1 + cos(0.3π))/2
        var fromEta = CosineAnnealingLr.FromEtaMin(10, etaMin: 0.001, baseLr: 0.1);
        double expected = 0.001 + (0.099 * (1 + Math.Cos(0.3 * Math.PI)) / 2);
        Assert.Equal(expected, 0.1 * fromEta.Factor(3), 14);
        Assert.Equal(0.01, fromEta.Factor(10), 15);
        Assert.Equal(0.505, fromEta.Factor(5), 15); // (1 + 0.01)/2
    }

    [Fact]
    public void LinearWarmup_RampsThenHandsOverToTheInnerSchedule()
    {
        var s = new LinearWarmup(4, new CosineAnnealingLr(10), startFactor: 0.2);
        double[] ramp = [0.2, 0.4, 0.6, 0.8];
        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(ramp[t], s.Factor(t), 15);
        }

        Assert.Equal(1.0, s.Factor(4), 15); // inner t = 0
        Assert.Equal(0.5, s.Factor(9), 15); // inner t = 5
        Assert.Equal(0.0, s.Factor(14), 15); // inner t = 10

        Assert.Equal(new StepLr(2).Factor(3), new LinearWarmup(0, new StepLr(2)).Factor(3));
        Assert.Equal(1.0 / 3.0, new LinearWarmup(5, new ConstantLr()).Factor(0), 15);
    }

    [Fact]
    public void Schedule_DrivesOptimizer_KeepingGroupRatios()
    {
        var a = new Parameter(1);
        var b = new Parameter(1);
        var sgd = new Sgd([new ParamGroup([a]), new ParamGroup([b]) { Lr = 0.01 }], lr: 0.1);
        var schedule = new MultiStepLr([2], 0.1);
        sgd.SetLrFactor(schedule.Factor(2));
        Assert.Equal(0.01, sgd.Groups[0].Lr!.Value, 15);
        Assert.Equal(0.001, sgd.Groups[1].Lr!.Value, 15);
    }

    [Fact]
    public void InvalidOptions_NameTheOptionAndValue()
    {
        AssertOutOfRange(() => new StepLr(0), "stepSize", "0");
        AssertOutOfRange(() => new StepLr(10, -0.1), "gamma", "-0.1");
        AssertOutOfRange(() => new CosineAnnealingLr(0), "tMax", "0");
        AssertOutOfRange(() => new CosineAnnealingLr(10, 1.5), "minFactor", "1.5");
        AssertOutOfRange(() => CosineAnnealingLr.FromEtaMin(10, 0.2, 0.1), "etaMin", "0.2");
        AssertOutOfRange(() => new LinearWarmup(-1, new ConstantLr()), "warmupSteps", "-1");
        AssertOutOfRange(() => new LinearWarmup(5, new ConstantLr(), startFactor: 2), "startFactor", "2");
        AssertOutOfRange(() => new ConstantLr(-1), "factor", "-1");

        var unsorted = Assert.Throws<ArgumentException>(() => new MultiStepLr([120, 80]));
        Assert.Equal("milestones", unsorted.ParamName);
        Assert.Contains("[120, 80] is not sorted ascending", unsorted.Message);
        Assert.Contains("-3", Assert.Throws<ArgumentException>(() => new MultiStepLr([-3])).Message);

        var negativeT = Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(5).Factor(-1));
        Assert.Contains("t = -1", negativeT.Message);
    }

    private static void AssertOutOfRange(Action build, string option, string value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(build);
        Assert.Equal(option, ex.ParamName);
        Assert.Contains($"'{option}' = {value}", ex.Message);
    }
}
