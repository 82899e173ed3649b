using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Winnow.Kernels;

/// <summary>
/// Bias broadcasts and bias-gradient reductions for linear (rows, cols) and NCHW (N, C, S) layouts.
/// Every output is one sequential sum (columns in strips of 128 double accumulators; channels as
/// fixed-block row sums combined in double), so results do not depend on the thread count.
/// </summary>
public static unsafe partial class ElementwiseKernels
{
    private const long ParallelWork = 1 << 16;
    private const int Block = 512;
    private const int Strip = 128;

    // bias: (cols), y: (rows, cols) -> y[r, :] += bias.
    public static void AddBiasRows(int rows, int cols, ReadOnlySpan<float> bias, Span<float> y)
    {
        Shape(rows, cols, 1, y.Length, nameof(y));
        Same(cols, bias.Length, nameof(bias));
        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * cols, cols);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    // dy: (rows, cols) -> dbias: (cols) (+)= Σ_r dy[r, :]; each column summed over r in order, in double.
    public static void SumRows(int rows, int cols, ReadOnlySpan<float> dy, Span<float> dbias, bool accumulate)
    {
        Shape(rows, cols, 1, dy.Length, nameof(dy));
        Same(cols, dbias.Length, nameof(dbias));
        fixed (float* pdy = dy, pdb = dbias)
        {
            Run(new Job(rows, cols, 1, pdy, pdb, accumulate, strips: true), (cols + Strip - 1) / Strip);
        }
    }

    /// <summary>Oracle for <see cref="SumRows"/> (double precision).</summary>
    public static void SumRowsNaive(int rows, int cols, ReadOnlySpan<float> dy, Span<float> dbias, bool accumulate)
    {
        for (int j = 0; j < cols; j++)
        {
            double sum = accumulate ? dbias[j] : 0.0;
            for (int r = 0; r < rows; r++)
            {
                sum += dy[r * cols + j];
            }

            dbias[j] = (float)sum;
        }
    }

    // bias: (C), y: (N, C, S) -> y[i, ch, :] += bias[ch].
    public static void AddChannelBias(int n, int c, int s, ReadOnlySpan<float> bias, Span<float> y)
    {
        Shape(n, c, s, y.Length, nameof(y));
        Same(c, bias.Length, nameof(bias));
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                var row = y.Slice((i * c + ch) * s, s);
                TensorPrimitives.Add(row, bias[ch], row);
            }
        }
    }

    // dy: (N, C, S) -> dbias: (C) (+)= Σ_{i, s} dy[i, ch, s]; rows of S summed in fixed blocks, then over i in double.
    public static void SumChannels(int n, int c, int s, ReadOnlySpan<float> dy, Span<float> dbias, bool accumulate)
    {
        Shape(n, c, s, dy.Length, nameof(dy));
        Same(c, dbias.Length, nameof(dbias));
        fixed (float* pdy = dy, pdb = dbias)
        {
            Run(new Job(n, c, s, pdy, pdb, accumulate, strips: false), c);
        }
    }

    /// <summary>Oracle for <see cref="SumChannels"/> (double precision).</summary>
    public static void SumChannelsNaive(int n, int c, int s, ReadOnlySpan<float> dy, Span<float> dbias, bool accumulate)
    {
        for (int ch = 0; ch < c; ch++)
        {
            double sum = accumulate ? dbias[ch] : 0.0;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < s; k++)
                {
                    sum += dy[(i * c + ch) * s + k];
                }
            }

            dbias[ch] = (float)sum;
        }
    }

    /// <summary>
    /// Σx with an order fixed by the length alone (not by alignment or thread): two 8-lane float
    /// accumulators per block of 512, each block widened into double lanes, lanes combined in order.
    /// </summary>
    internal static double SumOrdered(ReadOnlySpan<float> x)
    {
        int i = 0;
        double total = 0.0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 16)
        {
            ref float r = ref MemoryMarshal.GetReference(x);
            var acc = Vector256<double>.Zero;
            while (i <= x.Length - 16)
            {
                int end = Math.Min(x.Length - 15, i + Block);
                var a0 = Vector256<float>.Zero;
                var a1 = Vector256<float>.Zero;
                for (; i < end; i += 16)
                {
                    a0 += Vector256.LoadUnsafe(ref r, (nuint)i);
                    a1 += Vector256.LoadUnsafe(ref r, (nuint)(i + 8));
                }

                acc += WidenSum(a0 + a1);
            }

            total = HorizontalSum(acc);
        }

        for (; i < x.Length; i++)
        {
            total += x[i];
        }

        return total;
    }

    /// <summary>The 8 float lanes folded pairwise into 4 double lanes.</summary>
    internal static Vector256<double> WidenSum(Vector256<float> v)
    {
        var (lo, hi) = Vector256.Widen(v);
        return lo + hi;
    }

    internal static double HorizontalSum(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));

    // Runs job.Item(0..count) on the pool (allocation-free through Parallelism's cached runner).
    private static void Run(in Job job, int count)
    {
        // Small problems run on the calling thread; the split never changes the summation order.
        Parallelism.For(count, job, parallel: !(job.Work < ParallelWork));
    }

    private readonly struct Job(int n, int c, int s, float* dy, float* dbias, bool accumulate, bool strips) : IParallelJob
    {
        public long Work => (long)n * c * s;

        public void Item(int t)
        {
            if (strips)
            {
                ColumnStrip(t);
            }
            else
            {
                Channel(t);
            }
        }

        private void ColumnStrip(int t)
        {
            int j0 = t * Strip;
            int width = Math.Min(Strip, c - j0);
            double* acc = stackalloc double[Strip];
            for (int j = 0; j < width; j++)
            {
                acc[j] = accumulate ? dbias[j0 + j] : 0.0;
            }

            for (int r = 0; r < n; r++)
            {
                float* row = dy + (long)r * c + j0;
                int j = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; j <= width - 8; j += 8)
                    {
                        var (lo, hi) = Vector256.Widen(Vector256.Load(row + j));
                        (Vector256.Load(acc + j) + lo).Store(acc + j);
                        (Vector256.Load(acc + j + 4) + hi).Store(acc + j + 4);
                    }
                }

                for (; j < width; j++)
                {
                    acc[j] += row[j];
                }
            }

            for (int j = 0; j < width; j++)
            {
                dbias[j0 + j] = (float)acc[j];
            }
        }

        private void Channel(int ch)
        {
            double sum = accumulate ? dbias[ch] : 0.0;
            for (int i = 0; i < n; i++)
            {
                sum += SumOrdered(new ReadOnlySpan<float>(dy + ((long)i * c + ch) * s, s));
            }

            dbias[ch] = (float)sum;
        }
    }
}
