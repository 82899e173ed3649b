using System.Numerics.Tensors;

namespace Winnow.Kernels;

/// <summary>
/// Row-wise log-softmax, cross-entropy (fused log-softmax + NLL with PyTorch label smoothing), NLL
/// over log-probabilities and top-1 counting, on row-major (rows, cols) data. Each row is max-shifted
/// before exponentiating; Σexp is summed in fixed-size chunks combined in double. Rows are
/// independent and run in parallel in fixed blocks, and the mean loss adds block partials in block
/// order, so results are bit-identical for any <see cref="Parallelism.MaxThreads"/>.
/// </summary>
/// <exception cref="ArgumentException">A span does not match (rows, cols).</exception>
/// <exception cref="ArgumentOutOfRangeException">A target is outside [0, cols), or label smoothing is outside [0, 1].</exception>
public static unsafe partial class SoftmaxKernels
{
    private const long ParallelWork = 1 << 15;
    private const int RowsPerBlock = 8;
    private const int BlocksPerPass = 256;
    private const int Chunk = 256;

    // x: (rows, cols) -> y: (rows, cols) (may alias x); y = x − max − log Σ exp(x − max).
    public static void LogSoftmax(int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckShape(rows, cols, x.Length, nameof(x));
        CheckShape(rows, cols, y.Length, nameof(y));
        fixed (float* px = x, py = y)
        {
            RunRows(new Job(rows, cols) { Mode = 0, A = px, Out = py });
        }
    }

    // dy, y (log-softmax output): (rows, cols) -> dx: (rows, cols); dx (+)= dy − exp(y)·Σ_j dy.
    public static void LogSoftmaxBackward(int rows, int cols, ReadOnlySpan<float> dy, ReadOnlySpan<float> y, Span<float> dx, bool accumulate)
    {
        CheckShape(rows, cols, dy.Length, nameof(dy));
        CheckShape(rows, cols, y.Length, nameof(y));
        CheckShape(rows, cols, dx.Length, nameof(dx));
        fixed (float* pdy = dy, py = y, pdx = dx)
        {
            RunRows(new Job(rows, cols) { Mode = 1, A = pdy, B = py, Out = pdx, Accumulate = accumulate });
        }
    }

    // logProbs: (rows, cols), targets: (rows) -> mean_i(−logProbs[i, t_i]).
    public static float NllLossForward(int rows, int cols, ReadOnlySpan<float> logProbs, ReadOnlySpan<int> targets)
    {
        CheckShape(rows, cols, logProbs.Length, nameof(logProbs));
        CheckTargets(rows, cols, targets, "NllLoss");
        double sum = 0.0;
        for (int r = 0; r < rows; r++)
        {
            sum -= logProbs[r * cols + targets[r]];
        }

        return (float)(sum / rows);
    }

    // targets: (rows) -> dlogProbs: (rows, cols); dlogProbs (+)= −gradScale/rows at (i, t_i), 0 elsewhere.
    public static void NllLossBackward(int rows, int cols, ReadOnlySpan<int> targets, float gradScale, Span<float> dlogProbs, bool accumulate)
    {
        CheckShape(rows, cols, dlogProbs.Length, nameof(dlogProbs));
        CheckTargets(rows, cols, targets, "NllLoss");
        if (!accumulate)
        {
            dlogProbs.Clear();
        }

        float g = (float)((double)gradScale / rows);
        for (int r = 0; r < rows; r++)
        {
            dlogProbs[r * cols + targets[r]] -= g;
        }
    }

    // logits: (rows, cols), targets: (rows) -> number of rows whose argmax (first maximum) equals the target.
    public static int CountCorrect(int rows, int cols, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets)
    {
        CheckShape(rows, cols, logits.Length, nameof(logits));
        CheckTargets(rows, cols, targets, "CountCorrect");
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = logits.Slice(r * cols, cols);
            int best = 0;
            for (int j = 1; j < cols; j++)
            {
                if (row[j] > row[best])
                {
                    best = j;
                }
            }

            correct += best == targets[r] ? 1 : 0;
        }

        return correct;
    }

    // x: (cols) -> y: (cols) (may alias x).
    private static void LogSoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = TensorPrimitives.Max(x);
        float lse = (float)Math.Log(SumExpShifted(x, max));
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Subtract(y, lse, y);
    }

    // Σ_j exp(x_j − shift): exponentials of fixed chunks in a stack buffer, chunk sums combined in double.
    private static double SumExpShifted(ReadOnlySpan<float> x, float shift)
    {
        Span<float> buf = stackalloc float[Chunk];
        double total = 0.0;
        for (int j = 0; j < x.Length; j += Chunk)
        {
            Span<float> e = buf[..Math.Min(Chunk, x.Length - j)];
            TensorPrimitives.Subtract(x.Slice(j, e.Length), shift, e);
            TensorPrimitives.Exp(e, e);
            total += ElementwiseKernels.SumOrdered(e);
        }

        return total;
    }

    // dy, y: (cols) -> dx (+)= dy − exp(y)·Σdy.
    private static void LogSoftmaxBackwardRow(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, Span<float> dx, bool accumulate)
    {
        float negSumDy = -(float)ElementwiseKernels.SumOrdered(dy);
        Span<float> buf = stackalloc float[Chunk];
        for (int j = 0; j < y.Length; j += Chunk)
        {
            Span<float> e = buf[..Math.Min(Chunk, y.Length - j)];
            Span<float> d = dx.Slice(j, e.Length);
            TensorPrimitives.Exp(y.Slice(j, e.Length), e);
            if (accumulate)
            {
                TensorPrimitives.MultiplyAdd(e, negSumDy, dy.Slice(j, e.Length), e);
                TensorPrimitives.Add(d, e, d);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(e, negSumDy, dy.Slice(j, e.Length), d);
            }
        }
    }

    private static void CheckShape(int rows, int cols, int actual, string name)
    {
        if (rows < 1 || cols < 1 || (long)rows * cols != actual)
        {
            throw new ArgumentException($"Softmax kernel: '{name}' has {actual} elements but (rows, cols) = ({rows}, {cols}) needs {(long)rows * cols} (rows and cols must be at least 1).", name);
        }
    }

    private static void CheckTargets(int rows, int cols, ReadOnlySpan<int> targets, string op)
    {
        if (targets.Length != rows)
        {
            throw new ArgumentException($"{op}: targets has {targets.Length} labels but there are {rows} rows.", nameof(targets));
        }

        for (int r = 0; r < rows; r++)
        {
            if ((uint)targets[r] >= (uint)cols)
            {
                throw new ArgumentOutOfRangeException(nameof(targets), targets[r],
                    $"{op}: target at row {r} is {targets[r]}, but class labels must be in [0, {cols - 1}] for {cols} classes. Check the dataset labels and the model's output size.");
            }
        }
    }

    // Runs job.Item over the row blocks [0, count); one cached delegate per thread keeps it allocation-free.
    private static void Run(in Job job, int count)
    {
        // Small problems run on the calling thread; the split never changes the summation order.
        Parallelism.For(count, job, parallel: !((long)Math.Min(job.Rows, count * RowsPerBlock) * job.Cols < ParallelWork));
    }

    private static void RunRows(in Job job) => Run(job, (job.Rows + RowsPerBlock - 1) / RowsPerBlock);

    private readonly struct Job(int rows, int cols) : IParallelJob
    {
        public int Rows => rows;
        public int Cols => cols;
        public int Mode { get; init; } // 0 log-softmax, 1 its backward, 2 cross-entropy forward
        public float* A { get; init; }
        public float* B { get; init; }
        public float* Out { get; init; }
        public int* Targets { get; init; }
        public double* Partials { get; init; }
        public int FirstBlock { get; init; }
        public float Smoothing { get; init; }
        public bool Accumulate { get; init; }

        public void Item(int t)
        {
            int r0 = (FirstBlock + t) * RowsPerBlock, r1 = Math.Min(rows, r0 + RowsPerBlock);
            double loss = 0.0;
            for (int r = r0; r < r1; r++)
            {
                var a = new ReadOnlySpan<float>(A + (long)r * cols, cols);
                var o = new Span<float>(Out + (long)r * cols, cols);
                switch (Mode)
                {
                    case 0: LogSoftmaxRow(a, o); break;
                    case 1: LogSoftmaxBackwardRow(a, new ReadOnlySpan<float>(B + (long)r * cols, cols), o, Accumulate); break;
                    default: loss += CrossEntropyRow(a, Targets[r], Smoothing, o); break;
                }
            }

            if (Partials != null)
            {
                Partials[t] = loss;
            }
        }
    }
}
