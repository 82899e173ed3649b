namespace Winnow.NN.Layers;

/// <summary>k×k max pooling (stride defaults to k, as torch.nn.MaxPool2d).</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    public int KernelSize { get; } = kernelSize;

    public int Stride { get; } = stride ?? kernelSize;

    public int Padding { get; } = padding;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.MaxPool2d(input, KernelSize, Stride, Padding);
}
