namespace Winnow.NN.Training;

/// <summary>One mini-batch as the Trainer consumes it: images (B, …) and B integer labels.</summary>
public readonly record struct LabeledBatch(Tensor Images, ReadOnlyMemory<int> Labels);
