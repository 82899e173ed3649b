using Winnow.Autograd;
using Winnow.Memory;

namespace Winnow;

/// <summary>
/// A dense float32 tensor, row-major and always contiguous. Views (<see cref="Reshape"/>,
/// <see cref="SliceBatch"/>) share storage with their base. Any tensor can take part in autograd:
/// set <see cref="RequiresGrad"/> on a leaf, and ops record how gradients flow back to it.
/// </summary>
public partial class Tensor
{
    private float[]? _data;
    private readonly int _offset;
    private readonly int[] _shape;
    private readonly Tensor? _base;
    private Tensor? _grad;
    private bool _gradValid;
    private bool _released;

    /// <summary>Creates a zero-filled tensor that the garbage collector owns (not scope-pooled).</summary>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    public Tensor(params int[] shape)
        : this(shape, pooled: false, zero: true)
    {
    }

    private protected Tensor(int[] shape, bool pooled, bool zero)
    {
        _shape = CheckedShape(shape);
        Length = Product(_shape);
        if (pooled)
        {
            _data = TensorScope.RentFor(this, Length);
            Pooled = TensorScope.Current is not null;
            if (zero)
            {
                Array.Clear(_data);
            }
        }
        else
        {
            _data = new float[Length];
        }
    }

    private Tensor(float[] data, int offset, int[] shape, Tensor? viewBase)
    {
        _data = data;
        _offset = offset;
        _shape = shape;
        Length = Product(shape);
        _base = viewBase;
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Optional name used in error messages and reports (e.g. a parameter's dotted name).</summary>
    public string? Name { get; set; }

    /// <summary>Whether gradients are computed for this tensor when it takes part in a recorded op.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The op that produced this tensor, or null for a leaf.</summary>
    public Node? GradFn { get; internal set; }

    /// <summary>True when this tensor was not produced by a recorded op.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Whether the storage came from the scope pool (and returns to it when the scope ends).</summary>
    internal bool Pooled { get; set; }

    /// <summary>Keeps the gradient of a non-leaf tensor after backward (PyTorch's retain_grad).</summary>
    public bool RetainsGrad { get; set; }

    /// <summary>The accumulated gradient, or null if none has been computed since the last <see cref="ZeroGrad"/>.</summary>
    public Tensor? Grad => _gradValid ? _grad : null;

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Dim(int dim) => _shape[NormaliseDim(dim)];

    /// <summary>The elements as a span over the shared storage.</summary>
    /// <exception cref="ObjectDisposedException">The tensor's scope has ended.</exception>
    public Span<float> Data
    {
        get
        {
            if (_released || (_base?._released ?? false) || _data is null)
            {
                throw new ObjectDisposedException(Name ?? "Tensor",
                    "This tensor's buffer was returned to the pool when its TensorScope ended. Keep it with scope.Keep(t) or copy it with t.Clone() before the scope ends.");
            }

            return new Span<float>(_data, _offset, Length);
        }
    }

    /// <summary>Single-element tensor's value.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public float Item()
    {
        if (Length != 1)
        {
            throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {ShapeString(_shape)}.");
        }

        return Data[0];
    }

    /// <summary>Copies the elements to a new array.</summary>
    public float[] ToArray() => Data.ToArray();

    /// <summary>Forgets the gradient (the buffer is kept and overwritten by the next backward).</summary>
    public void ZeroGrad() => _gradValid = false;

    /// <summary>Sets the gradient explicitly (copying values), allocating the buffer if needed.</summary>
    public void SetGrad(ReadOnlySpan<float> values)
    {
        if (values.Length != Length)
        {
            throw new ArgumentException($"SetGrad: got {values.Length} values for a tensor of shape {ShapeString(_shape)} ({Length} elements).", nameof(values));
        }

        values.CopyTo(GradTarget(out _));
        _gradValid = true;
    }

    /// <summary>
    /// The buffer a backward function writes this tensor's gradient into. <paramref name="accumulate"/>
    /// is false when the buffer holds no valid gradient yet (write, don't add); the gradient is then
    /// marked valid, so the caller must fill every element when <paramref name="accumulate"/> is false.
    /// </summary>
    internal Span<float> GradTarget(out bool accumulate)
    {
        accumulate = _gradValid;
        GradWrites++;
        if (_grad is null)
        {
            // Leaves (parameters) keep a persistent gradient; intermediates borrow from the scope pool.
            _grad = IsLeaf ? new Tensor(_shape) : Empty(_shape);
            _grad.Name = Name is null ? null : Name + ".grad";
        }

        _gradValid = true;
        return _grad.Data;
    }

    /// <summary>
    /// Counts the hand-outs of the gradient buffer for writing (<see cref="GradTarget"/>, hence also
    /// <see cref="SetGrad"/>): a kernel that left known values in the buffer can tell that nobody has
    /// written it since (the sparse weight gradient uses it to skip re-zeroing pruned entries).
    /// </summary>
    internal long GradWrites { get; private set; }

    /// <summary>Drops an intermediate gradient once backward no longer needs it.</summary>
    internal void ReleaseGrad()
    {
        _gradValid = false;
        _grad = null;
    }

    internal void ReleaseToPool()
    {
        if (Pooled && _data is not null && _base is null)
        {
            BufferPool<float>.Return(_data);
        }

        _data = null;
        _released = true;
        _grad = null;
        _gradValid = false;
        GradFn = null;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var span = _released ? [] : Data;
        int show = Math.Min(span.Length, 8);
        var head = string.Join(", ", span[..show].ToArray().Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));
        return $"Tensor{ShapeString(_shape)}{(Name is null ? "" : " " + Name)} [{head}{(span.Length > show ? ", …" : "")}]";
    }

    /// <summary>Formats a shape as <c>[2, 3, 4]</c> for messages.</summary>
    public static string ShapeString(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    internal int NormaliseDim(int dim)
    {
        int d = dim < 0 ? dim + _shape.Length : dim;
        if (d < 0 || d >= _shape.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension {dim} is out of range for a tensor of shape {ShapeString(_shape)}.");
        }

        return d;
    }

    private static int[] CheckedShape(int[] shape)
    {
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor shape {ShapeString(shape)} has a negative dimension; every dimension must be ≥ 0.", nameof(shape));
            }
        }

        return (int[])shape.Clone();
    }

    internal static int Product(ReadOnlySpan<int> shape)
    {
        long p = 1;
        foreach (int d in shape)
        {
            p *= d;
        }

        if (p > Array.MaxLength)
        {
            throw new ArgumentException($"Tensor shape {ShapeString(shape)} has {p} elements, more than one array can hold ({Array.MaxLength}).", nameof(shape));
        }

        return (int)p;
    }
}
