using Winnow.NN.Models;
using Winnow.Sparsity.ContinuousSparsification;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Tests.ContinuousSparsification;

/// <summary>Soft masks attach to every conv and linear weight of the zoo models CS is run on.</summary>
public sealed class ZooCoverageTests
{
    [Theory]
    [InlineData("lenet300", 1, 28)]
    [InlineData("lenet5", 1, 28)]
    [InlineData("conv4", 1, 28)]
    [InlineData("resnet20", 3, 32)]
    public void EveryConvAndLinearWeightGetsAMask(string name, int channels, int size)
    {
        var model = ModelZoo.Create(name, new ModelSpec(channels, size, 10, new Rng(1)));
        model.NameTensors();
        var masks = new SoftMaskSet(model, MaskableSelection.All, 0f);
        Assert.Equal(MaskableSelection.Candidates(model).Count, masks.Masks.Count);
        Assert.Contains(masks.Masks, m => m.Target.IsConv == (name != "lenet300"));

        var x = Tensor.Normal(new Rng(2), 0, 1, 2, channels, size, size);
        var soft = model.Forward(x).ToArray();
        masks.Detach();
        var dense = model.Forward(x).ToArray();
        Winnow.Testing.TensorAssert.Close(dense, soft, 1e-3f, 1e-3f, "at β = 1 the soft mask c·σ(s0) is 1");
    }
}
