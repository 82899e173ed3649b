namespace Winnow.NN.Data;

/// <summary>One preallocated batch buffer of a <see cref="DataLoader"/> (images, labels, indices).</summary>
internal sealed class BatchSlot
{
    private Tensor? _short;

    public BatchSlot(int batchSize, int channels, int height, int width)
    {
        Images = new float[batchSize * channels * height * width];
        Full = Tensor.Wrap(Images, batchSize, channels, height, width);
        Labels = new int[batchSize];
        Indices = new int[batchSize];
    }

    public float[] Images { get; }

    public Tensor Full { get; }

    public int[] Labels { get; }

    public int[] Indices { get; }

    public int Count { get; set; }

    public int Index { get; set; }

    /// <summary>The filled part as a <see cref="Batch"/>; a short batch is a cached view of the first rows.</summary>
    public Batch ToBatch()
    {
        Tensor images = Full;
        if (Count != Full.Dim(0))
        {
            if (_short is null || _short.Dim(0) != Count)
            {
                _short = Full.SliceBatch(0, Count);
            }

            images = _short;
        }

        return new Batch(images, Labels.AsMemory(0, Count), Indices.AsMemory(0, Count), Index);
    }
}
