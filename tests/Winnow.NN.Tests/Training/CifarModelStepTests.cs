using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Training;

namespace Winnow.NN.Tests.Training;

/// <summary>The CIFAR-shaped zoo models train a few steps on generated 3×32×32 data.</summary>
public sealed class CifarModelStepTests
{
    [Theory]
    [InlineData("vgg16")]
    [InlineData("resnet20")]
    [InlineData("wrn-16-8")]
    public void TrainsAFewStepsAndTheLossFalls(string name)
    {
        var rng = new Rng(21);
        var model = ModelZoo.Create(name, new ModelSpec(3, 32, 10, rng));
        var opt = new Sgd(model.Parameters(), lr: 0.01, momentum: 0.9);
        var x = Tensor.Normal(rng, 0, 1, 4, 3, 32, 32);
        int[] y = [3, 1, 4, 1];
        var trainer = new Trainer(model, opt, new TrainerOptions { Epochs = 4 });
        var history = trainer.Fit(_ => [new LabeledBatch(x, y)], 1);
        Assert.All(history, m => Assert.True(double.IsFinite(m.TrainLoss)));
        // Fitting one fixed batch: the loss must come down within four steps.
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss, $"{name}: loss {history[0].TrainLoss} → {history[^1].TrainLoss}");
    }
}
