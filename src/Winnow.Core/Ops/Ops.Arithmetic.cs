using System.Numerics.Tensors;
using Winnow.Autograd;

namespace Winnow;

public static partial class Ops
{
    /// <summary>Element-wise a + b (same shape).</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        RequireSameShape("Ops.Add", a, b);
        var y = Tensor.Empty(a.Shape.ToArray());
        TensorPrimitives.Add(a.Data, b.Data, y.Data);
        if (Graph.ShouldRecord(a, b))
        {
            Graph.Record(y, "Add", [a, b], g =>
            {
                if (a.RequiresGrad)
                {
                    AddOrCopy(a.GradTarget(out bool acc), g.Data, acc);
                }

                if (b.RequiresGrad)
                {
                    AddOrCopy(b.GradTarget(out bool acc), g.Data, acc);
                }
            });
        }

        return y;
    }

    /// <summary>Element-wise a · b (same shape).</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        RequireSameShape("Ops.Mul", a, b);
        var y = Tensor.Empty(a.Shape.ToArray());
        TensorPrimitives.Multiply(a.Data, b.Data, y.Data);
        if (Graph.ShouldRecord(a, b))
        {
            Graph.Record(y, "Mul", [a, b], g =>
            {
                if (a.RequiresGrad)
                {
                    MulInto(a.GradTarget(out bool acc), g.Data, b.Data, acc);
                }

                if (b.RequiresGrad)
                {
                    MulInto(b.GradTarget(out bool acc), g.Data, a.Data, acc);
                }
            });
        }

        return y;
    }

    /// <summary>s · x for a constant s.</summary>
    public static Tensor Scale(Tensor x, float s)
    {
        var y = Tensor.Empty(x.Shape.ToArray());
        TensorPrimitives.Multiply(x.Data, s, y.Data);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "Scale", [x], g =>
            {
                var dx = x.GradTarget(out bool acc);
                if (acc)
                {
                    TensorPrimitives.MultiplyAdd(g.Data, s, dx, dx);
                }
                else
                {
                    TensorPrimitives.Multiply(g.Data, s, dx);
                }
            });
        }

        return y;
    }

    /// <summary>x + c for a constant c.</summary>
    public static Tensor AddScalar(Tensor x, float c)
    {
        var y = Tensor.Empty(x.Shape.ToArray());
        TensorPrimitives.Add(x.Data, c, y.Data);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "AddScalar", [x], g => AddOrCopy(x.GradTarget(out bool acc), g.Data, acc));
        }

        return y;
    }

    private static void MulInto(Span<float> target, ReadOnlySpan<float> g, ReadOnlySpan<float> other, bool accumulate)
    {
        if (accumulate)
        {
            TensorPrimitives.MultiplyAdd(g, other, target, target);
        }
        else
        {
            TensorPrimitives.Multiply(g, other, target);
        }
    }
}
