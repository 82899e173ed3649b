using Winnow.NN.Models;

namespace Winnow.NN.Tests.Models;

/// <summary>LeNet-5-Caffe pools before its ReLUs; outputs and gradients must equal the reference order Conv → ReLU → MaxPool.</summary>
public sealed class LeNet5CaffeTests
{
    [Fact]
    public void PoolThenRelu_GivesTheOutputsAndGradientsOfReluThenPool()
    {
        var model = new LeNet5Caffe(new Rng(5));
        var p = model.NamedParameters().ToDictionary(kv => kv.Key, kv => (Tensor)kv.Value);
        var x = Tensor.Normal(new Rng(6), 0f, 1f, 3, 1, 28, 28).RequireGrad();
        int[] labels = [1, 7, 3];

        var logits = model.Forward(x);
        Ops.CrossEntropy(logits, labels).Backward();
        var grads = p.ToDictionary(kv => kv.Key, kv => kv.Value.Grad!.ToArray());
        float[] dx = x.Grad!.ToArray();
        foreach (var t in p.Values)
        {
            t.ZeroGrad();
        }

        x.ZeroGrad();
        var h = Ops.MaxPool2d(Ops.Relu(Ops.Conv2d(x, p["conv1.weight"], p["conv1.bias"])), 2);
        h = Ops.MaxPool2d(Ops.Relu(Ops.Conv2d(h, p["conv2.weight"], p["conv2.bias"])), 2);
        h = Ops.Relu(Ops.Linear(h.Flatten(), p["fc3.weight"], p["fc3.bias"]));
        var reference = Ops.Linear(h, p["fc4.weight"], p["fc4.bias"]);
        Ops.CrossEntropy(reference, labels).Backward();

        Assert.Equal(reference.ToArray(), logits.ToArray());
        Assert.Equal(x.Grad!.ToArray(), dx);
        foreach (var (name, t) in p)
        {
            Assert.True(t.Grad!.ToArray().SequenceEqual(grads[name]), $"gradient of {name} differs");
        }
    }
}
