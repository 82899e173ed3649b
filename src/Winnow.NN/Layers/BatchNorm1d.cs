namespace Winnow.NN.Layers;

/// <summary>Batch normalisation over (N, C) inputs; see <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNorm(numFeatures, 2, eps, momentum, affine, trackRunningStats);
