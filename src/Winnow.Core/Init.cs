namespace Winnow;

/// <summary>
/// Weight initialisers with PyTorch's exact definitions (torch.nn.init; ALGORITHMS.md §0.2).
/// fan_in = size(1)·receptive field, fan_out = size(0)·receptive field, where the receptive field
/// is the product of the dimensions after the second (kh·kw for a conv weight (O,C,kh,kw)).
/// All draw from an explicitly passed <see cref="Rng"/> and run outside autograd.
/// </summary>
public static class Init
{
    /// <summary>Which fan a Kaiming initialiser preserves.</summary>
    public enum FanMode
    {
        /// <summary>Preserve the forward-pass variance (PyTorch default).</summary>
        FanIn,

        /// <summary>Preserve the backward-pass variance.</summary>
        FanOut,
    }

    /// <summary>(fan_in, fan_out) of a weight tensor, as torch.nn.init computes them.</summary>
    /// <exception cref="ArgumentException">The tensor has fewer than 2 dimensions.</exception>
    public static (int FanIn, int FanOut) Fans(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 2)
        {
            throw new ArgumentException($"Fan in/out need a tensor with at least 2 dimensions; got shape {Tensor.ShapeString(shape)}.", nameof(shape));
        }

        int receptive = 1;
        for (int i = 2; i < shape.Length; i++)
        {
            receptive *= shape[i];
        }

        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>
    /// Kaiming-uniform with leaky-ReLU slope <paramref name="a"/>: U(−b, b), b = gain·√(3/fan),
    /// gain = √(2/(1+a²)). With a = √5 (the Linear/Conv2d default) b = 1/√fan_in.
    /// </summary>
    public static void KaimingUniform(Tensor w, Rng rng, double a = 2.23606797749979, FanMode mode = FanMode.FanIn)
    {
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        double bound = gain * Math.Sqrt(3.0 / Fan(w, mode));
        rng.FillUniform(w.Data, (float)-bound, (float)bound);
    }

    /// <summary>Kaiming-normal for ReLU: N(0, σ²), σ = √2/√fan.</summary>
    public static void KaimingNormal(Tensor w, Rng rng, FanMode mode = FanMode.FanIn)
    {
        double std = Math.Sqrt(2.0) / Math.Sqrt(Fan(w, mode));
        rng.FillNormal(w.Data, 0f, (float)std);
    }

    /// <summary>Xavier/Glorot normal: N(0, σ²), σ = gain·√(2/(fan_in+fan_out)).</summary>
    public static void XavierNormal(Tensor w, Rng rng, double gain = 1.0)
    {
        var (fanIn, fanOut) = Fans(w.Shape);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        rng.FillNormal(w.Data, 0f, (float)std);
    }

    /// <summary>Xavier/Glorot uniform: U(−b, b), b = gain·√(6/(fan_in+fan_out)).</summary>
    public static void XavierUniform(Tensor w, Rng rng, double gain = 1.0)
    {
        var (fanIn, fanOut) = Fans(w.Shape);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        rng.FillUniform(w.Data, (float)-bound, (float)bound);
    }

    /// <summary>
    /// Signed Kaiming constant (edge-popup, biprop): every weight is ±σ with a random sign,
    /// σ = gain/√fan with the ReLU gain √2.
    /// </summary>
    public static void SignedKaimingConstant(Tensor w, Rng rng, FanMode mode = FanMode.FanIn, double scale = 1.0)
    {
        float std = (float)(scale * Math.Sqrt(2.0) / Math.Sqrt(Fan(w, mode)));
        var d = w.Data;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = (rng.NextUInt64() >> 63) == 0 ? -std : std;
        }
    }

    /// <summary>The PyTorch default bias init for a layer whose weight has this fan_in: U(−1/√fan_in, 1/√fan_in).</summary>
    public static void BiasUniform(Tensor bias, int fanIn, Rng rng)
    {
        float bound = fanIn > 0 ? (float)(1.0 / Math.Sqrt(fanIn)) : 0f;
        rng.FillUniform(bias.Data, -bound, bound);
    }

    /// <summary>Fills every element with <paramref name="value"/>.</summary>
    public static void Constant(Tensor t, float value) => t.Data.Fill(value);

    private static int Fan(Tensor w, FanMode mode)
    {
        var (fanIn, fanOut) = Fans(w.Shape);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }
}
