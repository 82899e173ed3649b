namespace Winnow.NN.Layers;

/// <summary>k×k average pooling (stride defaults to k; count_include_pad true, as torch.nn.AvgPool2d).</summary>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    public int KernelSize { get; } = kernelSize;

    public int Stride { get; } = stride ?? kernelSize;

    public int Padding { get; } = padding;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.AvgPool2d(input, KernelSize, Stride, Padding);
}
