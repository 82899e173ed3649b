using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow;

public static partial class Ops
{
    /// <summary>
    /// Mean cross-entropy of logits (N, classes) against integer labels (N), i.e. log-softmax + NLL,
    /// with optional label smoothing ε (PyTorch: (1−ε)·NLL + ε·mean over classes of −log p).
    /// Returns a shape-[] tensor.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classes) or ε outside [0, 1].</exception>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlyMemory<int> targets, float labelSmoothing = 0f)
    {
        var (rows, cols) = CheckClassification("Ops.CrossEntropy", logits, targets.Length);
        var probs = logits.EmptyLike();
        var loss = Tensor.Empty();
        loss.Data[0] = SoftmaxKernels.CrossEntropyForward(rows, cols, logits.Data, targets.Span, labelSmoothing, probs.Data);
        if (Graph.ShouldRecord(logits))
        {
            Graph.Record(loss, "CrossEntropy", [logits], g =>
                SoftmaxKernels.CrossEntropyBackward(rows, cols, probs.Data, targets.Span, labelSmoothing, g.Data[0], logits.GradTarget(out bool acc), acc));
        }

        return loss;
    }

    /// <summary>Row-wise log-softmax of (N, classes).</summary>
    public static Tensor LogSoftmax(Tensor x)
    {
        RequireRank("Ops.LogSoftmax", "input", x, 2);
        int rows = x.Dim(0), cols = x.Dim(1);
        var y = x.EmptyLike();
        SoftmaxKernels.LogSoftmax(rows, cols, x.Data, y.Data);
        if (Graph.ShouldRecord(x))
        {
            Graph.Record(y, "LogSoftmax", [x], g => SoftmaxKernels.LogSoftmaxBackward(rows, cols, g.Data, y.Data, x.GradTarget(out bool acc), acc));
        }

        return y;
    }

    /// <summary>Mean negative log-likelihood of log-probabilities (N, classes) against labels (N).</summary>
    public static Tensor NllLoss(Tensor logProbs, ReadOnlyMemory<int> targets)
    {
        var (rows, cols) = CheckClassification("Ops.NllLoss", logProbs, targets.Length);
        var loss = Tensor.Empty();
        loss.Data[0] = SoftmaxKernels.NllLossForward(rows, cols, logProbs.Data, targets.Span);
        if (Graph.ShouldRecord(logProbs))
        {
            Graph.Record(loss, "NllLoss", [logProbs], g =>
                SoftmaxKernels.NllLossBackward(rows, cols, targets.Span, g.Data[0], logProbs.GradTarget(out bool acc), acc));
        }

        return loss;
    }

    /// <summary>Number of rows of (N, classes) whose arg-max equals the label (first maximum wins).</summary>
    public static int CountCorrect(Tensor logits, ReadOnlySpan<int> targets)
    {
        var (rows, cols) = CheckClassification("Ops.CountCorrect", logits, targets.Length);
        return SoftmaxKernels.CountCorrect(rows, cols, logits.Data, targets);
    }

    private static (int Rows, int Cols) CheckClassification(string op, Tensor logits, int targetCount)
    {
        RequireRank(op, "logits", logits, 2);
        if (logits.Dim(0) != targetCount)
        {
            throw new ArgumentException($"{op}: logits have shape {Tensor.ShapeString(logits.Shape)} ({logits.Dim(0)} rows) but {targetCount} labels were given; expected one label per row.");
        }

        return (logits.Dim(0), logits.Dim(1));
    }
}
