namespace Winnow;

public partial class Tensor
{
    /// <summary>
    /// Same storage, new shape (one dimension may be −1 to be inferred). Differentiable: the
    /// gradient of the view flows back to this tensor reshaped.
    /// </summary>
    /// <exception cref="ArgumentException">The element counts differ or more than one −1 is given.</exception>
    public Tensor Reshape(params int[] shape)
    {
        int[] resolved = ResolveShape(shape);
        var view = new Tensor(_data!, _offset, resolved, _base ?? this) { Name = Name };
        _ = Data; // throws if released
        Ops.RecordView(this, view);
        return view;
    }

    /// <summary>Collapses all dimensions after the first: (N, …) → (N, prod(…)).</summary>
    public Tensor Flatten() => Reshape(_shape.Length == 0 ? 1 : _shape[0], -1);

    /// <summary>
    /// Rows [<paramref name="start"/>, start + <paramref name="count"/>) along dimension 0 as a view
    /// sharing storage (batch slicing). Not tracked by autograd.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range falls outside dimension 0.</exception>
    public Tensor SliceBatch(int start, int count)
    {
        if (_shape.Length == 0 || start < 0 || count < 0 || start + count > _shape[0])
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"SliceBatch({start}, {count}) is outside dimension 0 of a tensor of shape {ShapeString(_shape)}.");
        }

        int rowLength = _shape[0] == 0 ? 0 : Length / _shape[0];
        var shape = (int[])_shape.Clone();
        shape[0] = count;
        _ = Data;
        return new Tensor(_data!, _offset + start * rowLength, shape, _base ?? this) { Name = Name };
    }

    private int[] ResolveShape(int[] shape)
    {
        int inferAt = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (inferAt >= 0)
                {
                    throw new ArgumentException($"Reshape to {ShapeString(shape)}: only one dimension may be −1.", nameof(shape));
                }

                inferAt = i;
            }
            else if (shape[i] < 0)
            {
                throw new ArgumentException($"Reshape to {ShapeString(shape)}: dimensions must be ≥ 0 or −1 (inferred).", nameof(shape));
            }
            else
            {
                known *= shape[i];
            }
        }

        var result = (int[])shape.Clone();
        if (inferAt >= 0)
        {
            if (known == 0 || Length % known != 0)
            {
                throw new ArgumentException($"Reshape {ShapeString(_shape)} ({Length} elements) to {ShapeString(shape)}: cannot infer the −1 dimension.", nameof(shape));
            }

            result[inferAt] = (int)(Length / known);
        }
        else if (known != Length)
        {
            throw new ArgumentException($"Reshape {ShapeString(_shape)} ({Length} elements) to {ShapeString(shape)} ({known} elements): the element counts must match.", nameof(shape));
        }

        return result;
    }
}
