namespace Winnow.Core.Tests.Kernels;

/// <summary>Inputs the kernel tests share: uniform random buffers and masked sparse conv weights.</summary>
internal static class KernelTestData
{
    /// <summary>A buffer of <paramref name="length"/> values uniform in [−1, 1).</summary>
    public static float[] Uniform(Rng rng, int length)
    {
        var a = new float[Math.Max(0, length)];
        rng.FillUniform(a, -1f, 1f);
        return a;
    }

    /// <summary>
    /// A random conv weight masked to <paramref name="density"/> and its gathered pattern (O, C·KH·KW).
    /// With <paramref name="emptyFirstChannel"/> output channel 0 keeps no weight (the mask draws start at
    /// channel 1, so the random stream is that of the tests written that way).
    /// </summary>
    public static (float[] Weight, SparsePattern Pattern) MaskedConvWeight(Rng rng, in Conv2dGeometry g, double density, bool emptyFirstChannel)
    {
        float[] weight = Uniform(rng, g.WeightLength);
        var mask = new float[g.WeightLength];
        for (int i = emptyFirstChannel ? g.PatchLength : 0; i < mask.Length; i++)
        {
            mask[i] = rng.NextDouble() < density ? 1f : 0f;
            weight[i] *= mask[i];
        }

        if (emptyFirstChannel)
        {
            Array.Clear(weight, 0, g.PatchLength);
        }

        var s = new SparsePattern(g.O, g.PatchLength, mask);
        s.Gather(weight);
        return (weight, s);
    }
}
