using Winnow.NN;
using Winnow.NN.Optim;
using static Winnow.NN.Tests.Optim.OptimTestData;

namespace Winnow.NN.Tests.Optim;

public class OptimizerValidationTests
{
    private static Parameter[] Ps => [Param("w", 1f)];

    private static void AssertOutOfRange(Action build, string option, string value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(build);
        Assert.Equal(option, ex.ParamName);
        Assert.Contains($"'{option}' = {value}", ex.Message);
        Assert.Contains("expected", ex.Message);
    }

    [Fact]
    public void Sgd_RejectsOutOfRangeOptions()
    {
        AssertOutOfRange(() => new Sgd(Ps, lr: -0.1), "lr", "-0.1");
        AssertOutOfRange(() => new Sgd(Ps, lr: double.NaN), "lr", "NaN");
        AssertOutOfRange(() => new Sgd(Ps, lr: 0.1, momentum: 1.0), "momentum", "1");
        AssertOutOfRange(() => new Sgd(Ps, lr: 0.1, momentum: -0.5), "momentum", "-0.5");
        AssertOutOfRange(() => new Sgd(Ps, lr: 0.1, momentum: 0.9, dampening: 1.5), "dampening", "1.5");
        AssertOutOfRange(() => new Sgd(Ps, lr: 0.1, weightDecay: -5e-4), "weight_decay", "-0.0005");
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.9, 0.1)]
    public void Sgd_NesterovNeedsMomentumAndNoDampening(double momentum, double dampening)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sgd(Ps, lr: 0.1, momentum: momentum, dampening: dampening, nesterov: true));
        Assert.Equal("nesterov", ex.ParamName);
        Assert.Contains("Nesterov momentum requires a momentum and zero dampening", ex.Message);
        Assert.Contains($"momentum = {momentum.ToString(System.Globalization.CultureInfo.InvariantCulture)}", ex.Message);
    }

    [Fact]
    public void Adam_RejectsOutOfRangeOptions()
    {
        AssertOutOfRange(() => new Adam(Ps, lr: -1), "lr", "-1");
        AssertOutOfRange(() => new Adam(Ps, beta1: 1.0), "beta1", "1");
        AssertOutOfRange(() => new Adam(Ps, beta2: -0.1), "beta2", "-0.1");
        AssertOutOfRange(() => new Adam(Ps, eps: -1e-8), "eps", "-1E-08");
        AssertOutOfRange(() => new Adam(Ps, weightDecay: -1), "weight_decay", "-1");
        AssertOutOfRange(() => new AdamW(Ps, weightDecay: -0.01), "weight_decay", "-0.01");
    }

    [Fact]
    public void GroupOverrides_AreValidated_AndTheMessageNamesTheGroup()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Sgd([new ParamGroup([Param("a", 1f)]), new ParamGroup([Param("b", 1f)], "bn") { Momentum = 1.2 }], lr: 0.1));
        Assert.Equal("momentum", ex.ParamName);
        Assert.Contains("parameter group 1 ('bn')", ex.Message);
        Assert.Contains("1.2", ex.Message);
    }

    [Fact]
    public void OptionsTheOptimizerDoesNotUse_AreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sgd([new ParamGroup(Ps) { Beta1 = 0.8 }], lr: 0.1));
        Assert.Equal("beta1", ex.ParamName);
        Assert.Contains("Sgd does not use it", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => new Adam([new ParamGroup(Ps) { Momentum = 0.9 }]));
        Assert.Equal("momentum", ex.ParamName);
        Assert.Contains("Adam does not use it", ex.Message);
    }

    [Fact]
    public void EmptyOrDuplicatedParameters_AreRejected()
    {
        Assert.Contains("empty parameter list", Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Parameter>(), lr: 0.1)).Message);
        var p = Param("w", 1f);
        var ex = Assert.Throws<ArgumentException>(() => new Adam([new ParamGroup([p]), new ParamGroup([p])]));
        Assert.Contains("'w'", ex.Message);
        Assert.Contains("more than once", ex.Message);
    }

    [Fact]
    public void LrFactorAndLrSetter_RejectNegativeValues()
    {
        var sgd = new Sgd(Ps, lr: 0.1);
        AssertOutOfRange(() => sgd.SetLrFactor(-0.5), "lr factor", "-0.5");
        AssertOutOfRange(() => sgd.Lr = -1, "lr", "-1");
    }
}
