namespace Winnow;

public partial class Tensor
{
    /// <summary>A zero-filled tensor; pooled when a <see cref="TensorScope"/> is open.</summary>
    public static Tensor Zeros(params int[] shape) => new(shape, pooled: true, zero: true);

    /// <summary>A tensor with unspecified contents (pooled when a scope is open); the caller overwrites every element.</summary>
    public static Tensor Empty(params int[] shape) => new(shape, pooled: true, zero: false);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Empty(shape);
        t.Data.Fill(value);
        return t;
    }

    /// <summary>A tensor filled with ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A one-element tensor of shape [] holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => Full(value);

    /// <summary>Copies <paramref name="values"/> into a new tensor of the given shape.</summary>
    /// <exception cref="ArgumentException">The number of values does not match the shape.</exception>
    public static Tensor FromArray(ReadOnlySpan<float> values, params int[] shape)
    {
        var t = new Tensor(shape);
        if (values.Length != t.Length)
        {
            throw new ArgumentException($"Tensor.FromArray: {values.Length} values cannot fill shape {ShapeString(shape)} ({t.Length} elements).", nameof(values));
        }

        values.CopyTo(t.Data);
        return t;
    }

    /// <summary>Wraps an existing array without copying (the tensor aliases it).</summary>
    /// <exception cref="ArgumentException">The array length does not match the shape.</exception>
    public static Tensor Wrap(float[] data, params int[] shape)
    {
        int n = Product(shape);
        if (data.Length != n)
        {
            throw new ArgumentException($"Tensor.Wrap: array of {data.Length} elements does not match shape {ShapeString(shape)} ({n} elements).", nameof(data));
        }

        return new Tensor(data, 0, CheckedShape(shape), null);
    }

    /// <summary>A uniform U[low, high) tensor drawn from <paramref name="rng"/>.</summary>
    public static Tensor Uniform(Rng rng, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        rng.FillUniform(t.Data, low, high);
        return t;
    }

    /// <summary>A normal N(mean, std²) tensor drawn from <paramref name="rng"/>.</summary>
    public static Tensor Normal(Rng rng, float mean, float std, params int[] shape)
    {
        var t = new Tensor(shape);
        rng.FillNormal(t.Data, mean, std);
        return t;
    }

    /// <summary>Zero tensor of this tensor's shape.</summary>
    public Tensor ZerosLike() => Zeros(_shape);

    /// <summary>Uninitialised tensor of this tensor's shape.</summary>
    public Tensor EmptyLike() => Empty(_shape);

    /// <summary>A copy with its own storage, outside autograd (like <c>t.detach().clone()</c>), never pooled.</summary>
    public Tensor Clone()
    {
        var t = new Tensor(_shape) { Name = Name };
        Data.CopyTo(t.Data);
        return t;
    }

    /// <summary>A view sharing storage that autograd does not track (PyTorch's <c>detach()</c>).</summary>
    public Tensor Detach() => new(_data!, _offset, _shape, _base ?? this);

    /// <summary>Copies the elements of <paramref name="source"/> (same number of elements) into this tensor.</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.Length != Length)
        {
            throw new ArgumentException($"CopyFrom: source shape {ShapeString(source.Shape)} has {source.Length} elements, this tensor {ShapeString(_shape)} has {Length}.", nameof(source));
        }

        source.Data.CopyTo(Data);
    }
}
