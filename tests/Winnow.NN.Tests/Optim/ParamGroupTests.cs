using Winnow.NN;
using Winnow.NN.Optim;
using Winnow.Testing;
using static Winnow.NN.Tests.Optim.OptimTestData;

namespace Winnow.NN.Tests.Optim;

public class ParamGroupTests
{
    [Fact]
    public void GroupOptions_DefaultToTheOptimizers_AndOverridesApplyPerGroup()
    {
        var a = Param("a", 1f);
        var b = Param("b", 2f);
        var sgd = new Sgd(
            [new ParamGroup([a]), new ParamGroup([b], "decayed") { Lr = 0.01, WeightDecay = 0.1 }],
            lr: 0.1, momentum: 0.9);

        Assert.Equal(0.1, sgd.Groups[0].Lr);
        Assert.Equal(0.0, sgd.Groups[0].WeightDecay);
        Assert.Equal(0.9, sgd.Groups[1].Momentum);
        Assert.Equal(0.01, sgd.Groups[1].InitialLr);

        Grad(a, 1f);
        Grad(b, 1f);
        sgd.Step();

        // a: 1 − 0.1·1 = 0.9;  b: d = 1 + 0.1·2 = 1.2, 2 − 0.01·1.2 = 1.988
        TensorAssert.Close([0.9f], a.Data, atol: 1e-7f);
        TensorAssert.Close([1.988f], b.Data, atol: 1e-7f);
    }

    [Fact]
    public void SetLrFactor_ScalesEveryGroupsInitialLr_KeepingTheirRatio()
    {
        var sgd = new Sgd(
            [new ParamGroup([Param("a", 1f)]), new ParamGroup([Param("b", 1f)]) { Lr = 0.01 }],
            lr: 0.1);

        sgd.SetLrFactor(0.5);
        Assert.Equal(0.05, sgd.Groups[0].Lr!.Value, 15);
        Assert.Equal(0.005, sgd.Groups[1].Lr!.Value, 15);
        Assert.Equal(0.5, sgd.LrFactor);
        Assert.Equal(0.05, sgd.Lr, 15);

        // The factor applies to the initial lr, not to the current one: no compounding.
        sgd.SetLrFactor(0.5);
        Assert.Equal(0.05, sgd.Groups[0].Lr!.Value, 15);
    }

    [Fact]
    public void LrSetter_SetsEveryGroup_ButNotTheInitialLr()
    {
        var sgd = new Sgd(
            [new ParamGroup([Param("a", 1f)]), new ParamGroup([Param("b", 1f)]) { Lr = 0.01 }],
            lr: 0.1);

        sgd.Lr = 0.3;
        Assert.All(sgd.Groups, g => Assert.Equal(0.3, g.Lr));
        Assert.Equal(0.01, sgd.Groups[1].InitialLr);
    }

    [Fact]
    public void AdamGroups_TakeAdamDefaults()
    {
        var adam = new Adam([new ParamGroup([Param("a", 1f)]) { Beta2 = 0.99 }], lr: 0.002);
        var g = adam.Groups[0];
        Assert.Equal(0.002, g.Lr);
        Assert.Equal(0.9, g.Beta1);
        Assert.Equal(0.99, g.Beta2);
        Assert.Equal(1e-8, g.Eps);
        Assert.Equal(0.0, g.WeightDecay);
        Assert.Null(g.Momentum);
    }

    [Fact]
    public void ParametersFromAModule_AreAccepted()
    {
        var p = Param("w", 1f, 2f);
        var sgd = new Sgd(new List<Parameter> { p }, lr: 0.1);
        Assert.Same(p, Assert.Single(sgd.Parameters));
        Assert.True(sgd.Manages(p));
        Assert.False(sgd.Manages(Param("other", 1f)));
    }
}
