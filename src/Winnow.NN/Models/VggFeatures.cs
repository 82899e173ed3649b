using Winnow.NN.Layers;

namespace Winnow.NN.Models;

/// <summary>
/// Builds a VGG feature stack (Simonyan &amp; Zisserman 2015, CIFAR form with batch norm) from a
/// configuration: an entry v &gt; 0 is Conv(v channels, 3×3, padding 1, bias) → BN2d → ReLU, an
/// entry v &lt; 0 is the same with a 1×1 conv of |v| channels and padding <c>oneByOnePadding</c>, and
/// <see cref="M"/> (0) is MaxPool 2×2 stride 2. Children are numbered like torch.nn.Sequential
/// (conv i, BN i+1, ReLU i+2, then the next entry), so names read <c>features.0.weight</c>.
/// </summary>
internal static class VggFeatures
{
    /// <summary>The max-pool marker in a configuration.</summary>
    public const int M = 0;

    /// <summary>VGG-16 "D": 64,64,M,128,128,M,256×3,M,512×3,M,512×3,M (13 convs 3×3).</summary>
    public static readonly int[] ConfigD = [64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M];

    /// <summary>VGG-16 "C": like D, but the third conv of blocks 3, 4 and 5 is 1×1.</summary>
    public static readonly int[] ConfigC = [64, 64, M, 128, 128, M, 256, 256, -256, M, 512, 512, -512, M, 512, 512, -512, M];

    /// <summary>
    /// Builds the stack for (inChannels, inputSize, inputSize) inputs and returns the output channels
    /// and spatial size.
    /// </summary>
    /// <exception cref="ArgumentException">The input is too small for the max-pools; the message names
    /// <paramref name="model"/>, the input shape and the smallest size that works.</exception>
    public static Sequential Build(string model, int[] config, int inChannels, int inputSize, int oneByOnePadding, Rng rng, out int outChannels, out int outSize)
    {
        if (OutputSize(config, inputSize, oneByOnePadding) is not int size)
        {
            int need = MinimumInputSize(config, oneByOnePadding);
            int pools = config.Count(v => v == M);
            throw new ArgumentException(
                $"{model} needs a square input of at least {need}×{need}: its {pools} max-pools (2×2, stride 2) each need a map of at least 2×2; got {inChannels}×{inputSize}×{inputSize}.");
        }

        var features = new Sequential();
        int c = inChannels;
        foreach (int v in config)
        {
            if (v == M)
            {
                features.Add(new MaxPool2d(2));
                continue;
            }

            int width = Math.Abs(v);
            var conv = v > 0 ? new Conv2d(c, width, 3, rng, 1, 1) : new Conv2d(c, width, 1, rng, 1, oneByOnePadding);
            features.Add(conv).Add(new BatchNorm2d(width)).Add(new ReLU());
            c = width;
        }

        outChannels = c;
        outSize = size;
        return features;
    }

    /// <summary>The final spatial size, or null when some max-pool would see a map smaller than 2×2.</summary>
    public static int? OutputSize(int[] config, int inputSize, int oneByOnePadding)
    {
        int s = inputSize;
        foreach (int v in config)
        {
            if (v == M)
            {
                if (s < 2)
                {
                    return null;
                }

                s /= 2;
            }
            else if (v < 0)
            {
                s += 2 * oneByOnePadding;
            }
        }

        return s >= 1 ? s : null;
    }

    private static int MinimumInputSize(int[] config, int oneByOnePadding)
    {
        int s = 1;
        while (OutputSize(config, s, oneByOnePadding) is null)
        {
            s++;
        }

        return s;
    }
}
