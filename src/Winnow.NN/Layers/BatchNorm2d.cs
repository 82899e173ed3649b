namespace Winnow.NN.Layers;

/// <summary>Batch normalisation over (N, C, H, W) inputs, statistics per channel; see <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNorm(numFeatures, 4, eps, momentum, affine, trackRunningStats);
