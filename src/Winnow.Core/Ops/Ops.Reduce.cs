using Winnow.Autograd;

namespace Winnow;

public static partial class Ops
{
    /// <summary>Sum of all elements, as a shape-[] tensor. Summed in double, in index order.</summary>
    public static Tensor Sum(Tensor x) => SumScaled(x, 1f, "Sum");

    /// <summary>Mean of all elements, as a shape-[] tensor.</summary>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public static Tensor Mean(Tensor x)
    {
        if (x.Length == 0)
        {
            throw new ArgumentException($"Ops.Mean: the tensor of shape {Tensor.ShapeString(x.Shape)} is empty; the mean is undefined.", nameof(x));
        }

        return SumScaled(x, 1f / x.Length, "Mean");
    }

    private static Tensor SumScaled(Tensor x, float scale, string name)
    {
        double s = 0;
        foreach (float v in x.Data)
        {
            s += v;
        }

        var y = Tensor.Empty();
        y.Data[0] = (float)(s * scale);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, name, [x], g =>
            {
                float d = g.Data[0] * scale;
                var dx = x.GradTarget(out bool acc);
                if (acc)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(dx, d, dx);
                }
                else
                {
                    dx.Fill(d);
                }
            });
        }

        return y;
    }
}
