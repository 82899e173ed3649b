using Winnow.Memory;

namespace Winnow;

/// <summary>
/// Owns the tensors created on this thread while it is the innermost open scope, and gives their
/// buffers back to a pool when disposed (TorchSharp's DisposeScope idea). Wrap each training or
/// evaluation step in one so that steps after the first allocate no large arrays:
/// <code>using (var scope = TensorScope.Begin()) { var loss = ...; loss.Backward(); opt.Step(); }</code>
/// Tensors that must outlive the step are moved out with <see cref="Keep"/>. Tensors created with
/// no scope open (parameters, datasets) are ordinary garbage-collected tensors.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly List<Tensor> _owned = new(256);
    private readonly List<int[]> _intBuffers = [];
    private readonly TensorScope? _outer;
    private bool _disposed;

    private TensorScope(TensorScope? outer)
    {
        _outer = outer;
    }

    /// <summary>The innermost open scope on this thread, or null.</summary>
    public static TensorScope? Current => t_current;

    /// <summary>Opens a scope nested in the current one.</summary>
    public static TensorScope Begin()
    {
        var scope = new TensorScope(t_current);
        t_current = scope;
        return scope;
    }

    /// <summary>
    /// Moves <paramref name="tensor"/> (and its storage) to the enclosing scope, or out of scope
    /// management entirely when there is none, so it survives this scope's disposal.
    /// </summary>
    public Tensor Keep(Tensor tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tensor.ViewBase is { } viewBase)
        {
            Keep(viewBase);
        }

        if (_owned.Remove(tensor))
        {
            if (_outer is not null)
            {
                _outer._owned.Add(tensor);
            }
            else
            {
                tensor.Pooled = false;
            }
        }

        return tensor;
    }

    internal static float[] RentFor(Tensor? owner, int length)
    {
        var scope = t_current;
        if (scope is null || owner is null)
        {
            return new float[length];
        }

        scope._owned.Add(owner);
        return BufferPool<float>.Rent(length);
    }

    /// <summary>A scratch int buffer (argmax indices and the like) that lives as long as the current scope.</summary>
    internal static int[] RentInts(int length)
    {
        var scope = t_current;
        if (scope is null)
        {
            return new int[length];
        }

        int[] buffer = BufferPool<int>.Rent(length);
        scope._intBuffers.Add(buffer);
        return buffer;
    }

    /// <summary>Releases every tensor this scope owns; using them afterwards throws.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (t_current == this)
        {
            t_current = _outer;
        }

        foreach (var t in _owned)
        {
            t.ReleaseToPool();
        }

        foreach (var b in _intBuffers)
        {
            BufferPool<int>.Return(b);
        }

        _owned.Clear();
        _intBuffers.Clear();
    }
}
