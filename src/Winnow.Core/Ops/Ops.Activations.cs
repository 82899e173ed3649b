using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow;

public static partial class Ops
{
    /// <summary>max(x, 0). Gradient 1 where x &gt; 0, else 0 (PyTorch's choice at 0).</summary>
    public static Tensor Relu(Tensor x)
    {
        var y = x.EmptyLike();
        ElementwiseKernels.ReluForward(x.Data, y.Data);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "Relu", [x], g => ElementwiseKernels.ReluBackward(x.Data, g.Data, x.GradTarget(out bool acc), acc));
        }

        return y;
    }

    /// <summary>1/(1+e^−x). Gradient y·(1−y), computed from the output.</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = x.EmptyLike();
        ElementwiseKernels.SigmoidForward(x.Data, y.Data);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "Sigmoid", [x], g => ElementwiseKernels.SigmoidBackward(y.Data, g.Data, x.GradTarget(out bool acc), acc));
        }

        return y;
    }

    /// <summary>
    /// sign(x) ∈ {−1, 0, +1} (sign(0) = 0, as torch.sign). Its gradient is the chosen
    /// <paramref name="surrogate"/> (default: straight-through identity).
    /// </summary>
    public static Tensor Sign(Tensor x, SignSurrogate? surrogate = null)
    {
        var s = surrogate ?? SignSurrogate.StraightThrough;
        var y = x.EmptyLike();
        ElementwiseKernels.SignForward(x.Data, y.Data);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "Sign", [x], g => s.Backward(x.Data, g.Data, x.GradTarget(out bool acc), acc));
        }

        return y;
    }

    /// <summary>
    /// Inverted dropout: in training, zeroes each element with probability <paramref name="p"/> and
    /// scales survivors by 1/(1−p); identity when <paramref name="training"/> is false or p = 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1).</exception>
    public static Tensor Dropout(Tensor x, float p, bool training, Rng rng)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        }

        if (!training || p == 0f)
        {
            return x;
        }

        var mask = x.EmptyLike();
        var md = mask.Data;
        float keepScale = 1f / (1f - p);
        for (int i = 0; i < md.Length; i++)
        {
            md[i] = rng.NextFloat() < p ? 0f : keepScale;
        }

        var y = x.EmptyLike();
        ElementwiseKernels.DropoutForward(x.Data, md, y.Data);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "Dropout", [x], g => ElementwiseKernels.DropoutBackward(g.Data, mask.Data, x.GradTarget(out bool acc), acc));
        }

        return y;
    }
}
