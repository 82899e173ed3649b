using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Winnow.Kernels;

/// <summary>
/// Element-wise activations (ReLU, sigmoid, sign, dropout) and the bias broadcasts/reductions of
/// linear and convolution layers. Element-wise spans must all have the same length (the output may
/// alias an input exactly). Backward kernels overwrite their gradient output, or add into it when
/// <c>accumulate</c> is true. Reductions sum each output in a fixed order (float vector partials over
/// blocks of 512, combined in double), so results do not depend on <see cref="Parallelism.MaxThreads"/>
/// (bias broadcasts and reductions live in ElementwiseKernels.Reductions.cs).
/// </summary>
/// <exception cref="ArgumentException">Span lengths do not match the stated sizes.</exception>
public static partial class ElementwiseKernels
{
    // x: (L) -> y: (L); y = max(x, 0), NaN propagates.
    public static void ReluForward(ReadOnlySpan<float> x, Span<float> y)
    {
        Same(x.Length, y.Length, nameof(y));
        TensorPrimitives.Max(x, 0f, y);
    }

    // x, dy: (L) -> dx: (L); dx (+)= x > 0 ? dy : 0 (PyTorch: gradient 0 at x == 0). x may be the ReLU output.
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        Same(x.Length, dy.Length, nameof(dy));
        Same(x.Length, dx.Length, nameof(dx));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float rx = ref MemoryMarshal.GetReference(x);
            ref float rdy = ref MemoryMarshal.GetReference(dy);
            ref float rdx = ref MemoryMarshal.GetReference(dx);
            for (; i <= x.Length - 8; i += 8)
            {
                var g = Vector256.GreaterThan(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256<float>.Zero) & Vector256.LoadUnsafe(ref rdy, (nuint)i);
                (accumulate ? g + Vector256.LoadUnsafe(ref rdx, (nuint)i) : g).StoreUnsafe(ref rdx, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            float g = x[i] > 0f ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary>Oracle for <see cref="ReluBackward"/>.</summary>
    public static void ReluBackwardNaive(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = (accumulate ? dx[i] : 0f) + (x[i] > 0f ? dy[i] : 0f);
        }
    }

    // x: (L) -> y: (L); y = 1 / (1 + exp(-x)).
    public static void SigmoidForward(ReadOnlySpan<float> x, Span<float> y)
    {
        Same(x.Length, y.Length, nameof(y));
        TensorPrimitives.Sigmoid(x, y);
    }

    // y (sigmoid output), dy: (L) -> dx: (L); dx (+)= dy · y · (1 − y).
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        Same(y.Length, dy.Length, nameof(dy));
        Same(y.Length, dx.Length, nameof(dx));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float ry = ref MemoryMarshal.GetReference(y);
            ref float rdy = ref MemoryMarshal.GetReference(dy);
            ref float rdx = ref MemoryMarshal.GetReference(dx);
            for (; i <= y.Length - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref ry, (nuint)i);
                var g = Vector256.LoadUnsafe(ref rdy, (nuint)i) * (v * (Vector256<float>.One - v));
                (accumulate ? g + Vector256.LoadUnsafe(ref rdx, (nuint)i) : g).StoreUnsafe(ref rdx, (nuint)i);
            }
        }

        for (; i < y.Length; i++)
        {
            float g = dy[i] * (y[i] * (1f - y[i]));
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary>Oracle for <see cref="SigmoidBackward"/> (double precision).</summary>
    public static void SigmoidBackwardNaive(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] = (float)((accumulate ? dx[i] : 0.0) + (double)dy[i] * y[i] * (1.0 - y[i]));
        }
    }

    // x: (L) -> y: (L); y = +1 for x > 0, −1 for x < 0, 0 for ±0 and NaN (PyTorch: (0 < x) − (x < 0)).
    public static void SignForward(ReadOnlySpan<float> x, Span<float> y)
    {
        Same(x.Length, y.Length, nameof(y));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float rx = ref MemoryMarshal.GetReference(x);
            ref float ry = ref MemoryMarshal.GetReference(y);
            var one = Vector256<float>.One;
            for (; i <= x.Length - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref rx, (nuint)i);
                ((Vector256.GreaterThan(v, Vector256<float>.Zero) & one) - (Vector256.LessThan(v, Vector256<float>.Zero) & one)).StoreUnsafe(ref ry, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = SignOf(x[i]);
        }
    }

    /// <summary>Oracle for <see cref="SignForward"/>.</summary>
    public static void SignForwardNaive(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = SignOf(x[i]);
        }
    }

    private static float SignOf(float v) => v > 0f ? 1f : v < 0f ? -1f : 0f;

    // x, maskScale: (L) -> y: (L); y = x · maskScale (maskScale = keep / (1 − p), precomputed by the caller).
    public static void DropoutForward(ReadOnlySpan<float> x, ReadOnlySpan<float> maskScale, Span<float> y)
    {
        Same(x.Length, maskScale.Length, nameof(maskScale));
        Same(x.Length, y.Length, nameof(y));
        TensorPrimitives.Multiply(x, maskScale, y);
    }

    // dy, maskScale: (L) -> dx: (L); dx (+)= dy · maskScale.
    public static void DropoutBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> maskScale, Span<float> dx, bool accumulate)
    {
        Same(dy.Length, maskScale.Length, nameof(maskScale));
        Same(dy.Length, dx.Length, nameof(dx));
        if (accumulate)
        {
            TensorPrimitives.MultiplyAdd(dy, maskScale, dx, dx);
        }
        else
        {
            TensorPrimitives.Multiply(dy, maskScale, dx);
        }
    }

    private static void Same(int expected, int actual, string name)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Elementwise kernel: '{name}' has {actual} elements but {expected} were expected (all spans must match the stated shape).", name);
        }
    }

    private static void Shape(int a, int b, int c, int actual, string name)
    {
        if (a < 0 || b < 0 || c < 0 || (long)a * b * c != actual)
        {
            throw new ArgumentException($"Elementwise kernel: '{name}' has {actual} elements but the shape ({a}, {b}, {c}) needs {(long)a * b * c}.", name);
        }
    }
}
