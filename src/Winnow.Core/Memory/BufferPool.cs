namespace Winnow.Memory;

/// <summary>
/// Exact-length array pool behind <see cref="TensorScope"/>. A training step repeats the same
/// shapes, so keying by exact length makes every step after the first reuse the previous step's
/// buffers and allocate no large managed arrays.
/// </summary>
internal static class BufferPool<T>
{
    private static readonly Dictionary<int, Stack<T[]>> s_free = [];
    private static readonly Lock s_lock = new();

    /// <summary>Returns an array of exactly <paramref name="length"/> elements with arbitrary contents.</summary>
    public static T[] Rent(int length)
    {
        if (length == 0)
        {
            return [];
        }

        lock (s_lock)
        {
            if (s_free.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                return stack.Pop();
            }
        }

        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Gives an array back; the caller must not touch it afterwards.</summary>
    public static void Return(T[] array)
    {
        if (array.Length == 0)
        {
            return;
        }

        lock (s_lock)
        {
            if (!s_free.TryGetValue(array.Length, out var stack))
            {
                stack = new Stack<T[]>();
                s_free[array.Length] = stack;
            }

            stack.Push(array);
        }
    }

    /// <summary>Drops every pooled array (for tests and for freeing memory between phases).</summary>
    public static void Clear()
    {
        lock (s_lock)
        {
            s_free.Clear();
        }
    }
}
