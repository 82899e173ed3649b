using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Models;

namespace Winnow.NN.Tests;

public sealed class ModuleTests
{
    [Fact]
    public void ParameterNamesFollowPyTorchDottedPaths()
    {
        var net = new Sequential(new Conv2d(1, 4, 3, new Rng(1)), new BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(4 * 26 * 26, 10, new Rng(2)));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias"], net.NamedParameters().Select(kv => kv.Key).ToArray());
        Assert.Equal(["1.running_mean", "1.running_var", "1.num_batches_tracked"], net.NamedBuffers().Select(kv => kv.Key).ToArray());
    }

    [Fact]
    public void ModelParameterCountsMatchThePapers()
    {
        // ALGORITHMS.md §2.9: LeNet-300-100 266,200 weights + 410 biases; LeNet-5-Caffe 430,500 + 580.
        Assert.Equal(266_200 + 410, new LeNet300100(new Rng(1)).ParameterCount());
        Assert.Equal(430_500 + 580, new LeNet5Caffe(new Rng(1)).ParameterCount());
        // ResNet-20 (CS reference): conv weights 267,696 + shortcuts 2,560 + classifier 650 + BN γ/β.
        var resnet = new ResNetCifar(20, new Rng(1));
        long convWeights = resnet.NamedParameters().Where(kv => kv.Value.Rank == 4).Sum(kv => (long)kv.Value.Length);
        Assert.Equal(267_696 + 2_560, convWeights);
        Assert.Equal(650, resnet.NamedParameters().Where(kv => kv.Key.StartsWith("fc.", StringComparison.Ordinal)).Sum(kv => kv.Value.Length));
    }

    [Fact]
    public void TrainAndEvalPropagateToChildren()
    {
        var net = new Sequential(new Linear(2, 2, new Rng(1)), new Sequential(new BatchNorm1d(2)));
        net.Eval();
        Assert.All(net.NamedModules(), kv => Assert.False(kv.Value.Training));
        net.Train();
        Assert.All(net.NamedModules(), kv => Assert.True(kv.Value.Training));
    }

    [Fact]
    public void StateDictRoundTripCopiesValues()
    {
        var a = new LeNet300100(new Rng(1));
        var b = new LeNet300100(new Rng(2));
        b.LoadStateDict(a.StateDict());
        foreach (var (name, t) in a.StateDict())
        {
            Assert.Equal(t.ToArray(), b.StateDict()[name].ToArray());
        }
    }

    [Fact]
    public void LoadStateDictReportsMissingUnexpectedAndMisshapenTensors()
    {
        var net = new Sequential(new Linear(3, 2, new Rng(1)));
        var state = new Dictionary<string, Tensor>
        {
            ["0.weight"] = new Tensor(3, 2),
            ["extra"] = new Tensor(1),
        };
        var ex = Assert.Throws<ArgumentException>(() => net.LoadStateDict(state));
        Assert.Contains("missing '0.bias'", ex.Message);
        Assert.Contains("unexpected 'extra'", ex.Message);
        Assert.Contains("'0.weight' has shape [3, 2] in the state but [2, 3] in the model", ex.Message);
    }

    [Fact]
    public void DuplicateOrDottedMemberNamesAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BadModule());
        Assert.Contains("already has a member named 'w'", ex.Message);
    }

    private sealed class BadModule : Module
    {
        public BadModule()
        {
            RegisterParameter("w", new Parameter(1));
            RegisterParameter("w", new Parameter(1));
        }

        public override Tensor Forward(Tensor input) => input;
    }
}
