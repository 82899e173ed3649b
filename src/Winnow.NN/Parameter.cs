namespace Winnow.NN;

/// <summary>A trainable tensor owned by a <see cref="Module"/>: requires grad and is never scope-pooled.</summary>
public sealed class Parameter : Tensor
{
    /// <summary>Creates a zero-filled parameter of the given shape.</summary>
    public Parameter(params int[] shape)
        : base(shape)
    {
        RequiresGrad = true;
    }

    /// <summary>Creates a parameter holding a copy of <paramref name="values"/>.</summary>
    public static Parameter From(Tensor values)
    {
        var p = new Parameter(values.Shape.ToArray());
        values.Data.CopyTo(p.Data);
        return p;
    }
}
