namespace Winnow;

/// <summary>
/// The gradient used in place of sign's true derivative (zero almost everywhere). Pluggable so
/// binary-activation methods choose their estimator: <see cref="StraightThrough"/>,
/// <see cref="Clipped"/> (hard-tanh STE) or <see cref="BiReal"/> (biprop's MPT-1/1 default).
/// </summary>
public abstract class SignSurrogate
{
    /// <summary>Identity: ∂L/∂x = ∂L/∂y.</summary>
    public static SignSurrogate StraightThrough { get; } = new StraightThroughSurrogate();

    /// <summary>Hard-tanh STE: ∂L/∂x = ∂L/∂y · 1[|x| ≤ 1].</summary>
    public static SignSurrogate Clipped { get; } = new ClippedSurrogate();

    /// <summary>Bi-Real Net ApproxSign: ∂L/∂x = ∂L/∂y · 2·(1 − |clip(x, −1, 1)|).</summary>
    public static SignSurrogate BiReal { get; } = new BiRealSurrogate();

    /// <summary>The surrogate derivative d sign(x)/dx at <paramref name="x"/>.</summary>
    public abstract float Derivative(float x);

    /// <summary>dx (+)= dy · Derivative(x), element-wise.</summary>
    public virtual void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float g = dy[i] * Derivative(x[i]);
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    private sealed class StraightThroughSurrogate : SignSurrogate
    {
        public override float Derivative(float x) => 1f;

        public override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
            => Ops.AddOrCopy(dx, dy, accumulate);
    }

    private sealed class ClippedSurrogate : SignSurrogate
    {
        public override float Derivative(float x) => MathF.Abs(x) <= 1f ? 1f : 0f;
    }

    private sealed class BiRealSurrogate : SignSurrogate
    {
        public override float Derivative(float x) => 2f * (1f - MathF.Abs(Math.Clamp(x, -1f, 1f)));
    }
}
