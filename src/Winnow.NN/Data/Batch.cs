namespace Winnow.NN.Data;

/// <summary>
/// One batch from a <see cref="DataLoader"/>: <see cref="Images"/> (Count, C, H, W) float32,
/// normalised and augmented, and the matching <see cref="Labels"/>.
/// </summary>
/// <remarks><b>Lifetime:</b> the tensor and the label memory wrap the loader's reusable buffers. A batch
/// is valid until the next <c>MoveNext</c> of the enumerator that produced it (the next iteration of the
/// <c>foreach</c>) or until that enumerator is disposed; copy what must live longer
/// (<c>Images.Clone()</c>, <c>Labels.ToArray()</c>).</remarks>
public sealed class Batch
{
    internal Batch(Tensor images, ReadOnlyMemory<int> labels, ReadOnlyMemory<int> indices, int index)
    {
        Images = images;
        Labels = labels;
        Indices = indices;
        Index = index;
    }

    /// <summary>Images, shape (Count, C, H, W), created outside any <see cref="TensorScope"/>.</summary>
    public Tensor Images { get; }

    /// <summary>Class labels, exactly <see cref="Count"/> of them.</summary>
    public ReadOnlyMemory<int> Labels { get; }

    /// <summary>The dataset index of each image, exactly <see cref="Count"/> of them.</summary>
    public ReadOnlyMemory<int> Indices { get; }

    /// <summary>Number of images (the batch size, or fewer for the last batch of an epoch).</summary>
    public int Count => Labels.Length;

    /// <summary>Position of this batch in its epoch, from 0.</summary>
    public int Index { get; }
}
