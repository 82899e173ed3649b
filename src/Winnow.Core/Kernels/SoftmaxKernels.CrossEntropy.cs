using System.Numerics.Tensors;

namespace Winnow.Kernels;

/// <summary>
/// Fused cross-entropy (log-softmax + NLL, mean over rows) with PyTorch label smoothing ε:
/// loss_i = (1 − ε)·(−log p_{i,t_i}) + ε·mean_j(−log p_{i,j}).
/// </summary>
public static unsafe partial class SoftmaxKernels
{
    // logits: (rows, cols), targets: (rows) -> probsOut: (rows, cols) = softmax(logits) (may alias logits);
    // returns the mean loss over rows.
    public static float CrossEntropyForward(int rows, int cols, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, float labelSmoothing, Span<float> probsOut)
    {
        CheckShape(rows, cols, logits.Length, nameof(logits));
        CheckShape(rows, cols, probsOut.Length, nameof(probsOut));
        CheckTargets(rows, cols, targets, "CrossEntropy");
        CheckSmoothing(labelSmoothing);
        int blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
        double* partials = stackalloc double[BlocksPerPass];
        double total = 0.0;
        fixed (float* px = logits, pp = probsOut)
        fixed (int* pt = targets)
        {
            for (int b0 = 0; b0 < blocks; b0 += BlocksPerPass)
            {
                int count = Math.Min(BlocksPerPass, blocks - b0);
                Run(new Job(rows, cols) { Mode = 2, A = px, Out = pp, Targets = pt, Partials = partials, FirstBlock = b0, Smoothing = labelSmoothing }, count);
                for (int b = 0; b < count; b++)
                {
                    total += partials[b];
                }
            }
        }

        return (float)(total / rows);
    }

    // probs: (rows, cols) from CrossEntropyForward, targets: (rows) -> dlogits: (rows, cols)
    // (+)= gradScale·(p − ((1 − ε)·onehot(t) + ε/cols))/rows.
    public static void CrossEntropyBackward(int rows, int cols, ReadOnlySpan<float> probs, ReadOnlySpan<int> targets, float labelSmoothing,
        float gradScale, Span<float> dlogits, bool accumulate)
    {
        CheckShape(rows, cols, probs.Length, nameof(probs));
        CheckShape(rows, cols, dlogits.Length, nameof(dlogits));
        CheckTargets(rows, cols, targets, "CrossEntropy");
        CheckSmoothing(labelSmoothing);
        double k = (double)gradScale / rows;
        float scale = (float)k, offset = (float)(k * labelSmoothing / cols), hit = (float)(k * (1.0 - labelSmoothing));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> p = probs.Slice(r * cols, cols);
            Span<float> d = dlogits.Slice(r * cols, cols);
            if (accumulate)
            {
                TensorPrimitives.MultiplyAdd(p, scale, d, d);
            }
            else
            {
                TensorPrimitives.Multiply(p, scale, d);
            }

            if (offset != 0f)
            {
                TensorPrimitives.Subtract(d, offset, d);
            }

            d[targets[r]] -= hit;
        }
    }

    // x: (cols) -> p: (cols) = softmax(x) (may alias x); returns this row's smoothed loss.
    private static double CrossEntropyRow(ReadOnlySpan<float> x, int target, float smoothing, Span<float> p)
    {
        float max = TensorPrimitives.Max(x);
        double xt = x[target];
        double meanX = smoothing != 0f ? ElementwiseKernels.SumOrdered(x) / x.Length : 0.0;
        TensorPrimitives.Subtract(x, max, p);
        TensorPrimitives.Exp(p, p);
        double sum = ElementwiseKernels.SumOrdered(p);
        TensorPrimitives.Divide(p, (float)sum, p);
        double lse = max + Math.Log(sum);
        double nll = lse - xt;
        return smoothing != 0f ? (1.0 - smoothing) * nll + smoothing * (lse - meanX) : nll;
    }

    private static void CheckSmoothing(float labelSmoothing)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropy: label smoothing must be in [0, 1] (0 disables it; PyTorch's default is 0).");
        }
    }
}
