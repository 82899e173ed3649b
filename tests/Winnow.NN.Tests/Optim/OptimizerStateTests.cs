using Winnow.NN;
using Winnow.NN.Optim;
using Winnow.Testing;
using static Winnow.NN.Tests.Optim.OptimTestData;

namespace Winnow.NN.Tests.Optim;

public class OptimizerStateTests
{
    private static readonly float[][] s_grads = [[0.5f, -0.25f, 1f], [0.1f, 0.3f, -2f], [-0.7f, 0.2f, 0.05f]];

    public static TheoryData<string> Optimizers => new() { "sgd", "adam", "adamw" };

    private static Optimizer Make(string kind, Parameter[] ps) => kind switch
    {
        "sgd" => new Sgd(ps, lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4),
        "adam" => new Adam(ps, lr: 0.01, weightDecay: 1e-3),
        _ => new AdamW(ps, lr: 0.01),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void RoundTrip_ResumedStepIsBitIdenticalToUninterrupted(string kind)
    {
        Parameter[] run = [Param("fc.weight", 1f, -2f, 0.5f), Param("fc.bias", 0.1f, 0.2f, 0.3f)];
        var uninterrupted = Make(kind, run);
        for (int s = 0; s < 2; s++)
        {
            foreach (var p in run)
            {
                Grad(p, s_grads[s]);
            }

            uninterrupted.Step();
        }

        var saved = uninterrupted.StateDict();
        Parameter[] resumed = [Param("fc.weight", run[0].ToArray()), Param("fc.bias", run[1].ToArray())];
        var fresh = Make(kind, resumed);
        fresh.LoadStateDict(saved);

        foreach (var (opt, ps) in new[] { (uninterrupted, run), (fresh, resumed) })
        {
            foreach (var p in ps)
            {
                Grad(p, s_grads[2]);
            }

            opt.Step();
        }

        TensorAssert.BitIdentical(run[0].Data, resumed[0].Data, "fc.weight");
        TensorAssert.BitIdentical(run[1].Data, resumed[1].Data, "fc.bias");
    }

    [Fact]
    public void StateDict_UsesDottedNames_AndParamIndexForUnnamed()
    {
        var named = Param("features.0.weight", 1f);
        var unnamed = Param(null, 1f);
        var adam = new Adam([named, unnamed]);
        Grad(named, 1f);
        Grad(unnamed, 1f);
        adam.Step();

        var keys = adam.StateDict().Keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["features.0.weight.exp_avg", "features.0.weight.exp_avg_sq", "features.0.weight.step", "param1.exp_avg", "param1.exp_avg_sq", "param1.step"],
            keys);
        Assert.Equal(1f, adam.StateDict()["param1.step"].Item());
    }

    [Fact]
    public void StateDict_IsASnapshot_NotALiveView()
    {
        var p = Param("w", 1f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9);
        Grad(p, 1f);
        sgd.Step();
        var snapshot = sgd.StateDict();
        sgd.Step();
        Assert.Equal(1f, snapshot["w.momentum_buffer"].Data[0]);
        Assert.Equal(1.9f, sgd.GetMomentumBuffer(p)!.Data[0], 6);
    }

    [Fact]
    public void LoadStateDict_EmptyState_ResetsToFresh()
    {
        var p = Param("w", 1f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9);
        Grad(p, 1f);
        sgd.Step();
        sgd.LoadStateDict(new Dictionary<string, Tensor>());
        Assert.Null(sgd.GetMomentumBuffer(p));
    }

    [Fact]
    public void LoadStateDict_ListsEveryProblem_AndChangesNothing()
    {
        var p = Param("w", 1f, 2f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9);
        Grad(p, 1f, 1f);
        sgd.Step();
        var bad = new Dictionary<string, Tensor>
        {
            ["w.momentum_buffer"] = new Tensor(3),
            ["v.momentum_buffer"] = new Tensor(2),
        };

        var ex = Assert.Throws<ArgumentException>(() => sgd.LoadStateDict(bad));
        Assert.Contains("'w.momentum_buffer' has shape [3]", ex.Message);
        Assert.Contains("unexpected 'v.momentum_buffer'", ex.Message);
        Assert.Equal(1f, sgd.GetMomentumBuffer(p)!.Data[0]);
    }

    [Fact]
    public void LoadStateDict_PartialAdamState_IsRejected()
    {
        var p = Param("w", 1f);
        var adam = new Adam([p]);
        var ex = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(new Dictionary<string, Tensor> { ["w.exp_avg"] = new Tensor(1) }));
        Assert.Contains("missing 'w.exp_avg_sq', 'w.step'", ex.Message);
    }

    [Fact]
    public void DuplicateNames_AreReportedWithAHint()
    {
        var sgd = new Sgd([Param("weight", 1f), Param("weight", 2f)], lr: 0.1);
        var ex = Assert.Throws<InvalidOperationException>(() => sgd.StateDict());
        Assert.Contains("both named 'weight'", ex.Message);
        Assert.Contains("NameTensors", ex.Message);
    }
}
