namespace Winnow;

/// <summary>
/// Differentiable operations. One op family per file (<c>Ops.Linear.cs</c>, <c>Ops.Conv2d.cs</c> …);
/// each forward is followed by the backward it records. Kernels do the arithmetic; ops check shapes,
/// allocate outputs and wire the graph.
/// </summary>
public static partial class Ops
{
    internal static void RequireSameShape(string op, Tensor a, Tensor b)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
        {
            throw new ArgumentException($"{op}: shapes {Tensor.ShapeString(a.Shape)} and {Tensor.ShapeString(b.Shape)} differ; both operands must have the same shape.");
        }
    }

    internal static void RequireRank(string op, string argument, Tensor t, int rank)
    {
        if (t.Rank != rank)
        {
            throw new ArgumentException($"{op}: {argument} has shape {Tensor.ShapeString(t.Shape)} (rank {t.Rank}); expected rank {rank}.");
        }
    }

    /// <summary>Adds <paramref name="source"/> into <paramref name="target"/> or overwrites it.</summary>
    internal static void AddOrCopy(Span<float> target, ReadOnlySpan<float> source, bool accumulate)
    {
        if (accumulate)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(target, source, target);
        }
        else
        {
            source.CopyTo(target);
        }
    }
}
