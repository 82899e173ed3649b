namespace Winnow.Kernels;

/// <summary>Double-precision reference twins of the softmax and cross-entropy kernels (test oracles).</summary>
public static partial class SoftmaxKernels
{
    /// <summary>Oracle for <see cref="LogSoftmax"/>.</summary>
    public static void LogSoftmaxNaive(int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int r = 0; r < rows; r++)
        {
            double lse = LogSumExpNaive(x.Slice(r * cols, cols));
            for (int j = 0; j < cols; j++)
            {
                y[r * cols + j] = (float)(x[r * cols + j] - lse);
            }
        }
    }

    /// <summary>Oracle for <see cref="LogSoftmaxBackward"/>.</summary>
    public static void LogSoftmaxBackwardNaive(int rows, int cols, ReadOnlySpan<float> dy, ReadOnlySpan<float> y, Span<float> dx, bool accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            double sum = 0.0;
            for (int j = 0; j < cols; j++)
            {
                sum += dy[r * cols + j];
            }

            for (int j = 0; j < cols; j++)
            {
                int at = r * cols + j;
                dx[at] = (float)((accumulate ? dx[at] : 0.0) + dy[at] - Math.Exp(y[at]) * sum);
            }
        }
    }

    /// <summary>Oracle for <see cref="CrossEntropyForward"/>.</summary>
    public static float CrossEntropyForwardNaive(int rows, int cols, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, float labelSmoothing, Span<float> probsOut)
    {
        CheckTargets(rows, cols, targets, "CrossEntropy");
        double total = 0.0;
        for (int r = 0; r < rows; r++)
        {
            double lse = LogSumExpNaive(logits.Slice(r * cols, cols)), smooth = 0.0;
            for (int j = 0; j < cols; j++)
            {
                double logp = logits[r * cols + j] - lse;
                probsOut[r * cols + j] = (float)Math.Exp(logp);
                smooth -= logp / cols;
            }

            double nll = lse - logits[r * cols + targets[r]];
            total += (1.0 - labelSmoothing) * nll + labelSmoothing * smooth;
        }

        return (float)(total / rows);
    }

    /// <summary>Oracle for <see cref="CrossEntropyBackward"/>.</summary>
    public static void CrossEntropyBackwardNaive(int rows, int cols, ReadOnlySpan<float> probs, ReadOnlySpan<int> targets, float labelSmoothing,
        float gradScale, Span<float> dlogits, bool accumulate)
    {
        CheckTargets(rows, cols, targets, "CrossEntropy");
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < cols; j++)
            {
                int at = r * cols + j;
                double target = (j == targets[r] ? 1.0 - labelSmoothing : 0.0) + (double)labelSmoothing / cols;
                dlogits[at] = (float)((accumulate ? dlogits[at] : 0.0) + (double)gradScale * (probs[at] - target) / rows);
            }
        }
    }

    private static double LogSumExpNaive(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity, sum = 0.0;
        foreach (float v in row)
        {
            max = Math.Max(max, v);
        }

        foreach (float v in row)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
