namespace Winnow.Kernels;

/// <summary>
/// The S = 1 (BatchNorm1d) path: x is (N, C) row-major, so one channel is a column. Walking a strip
/// of channels row by row reads memory in order and keeps threads off each other's cache lines.
/// Per channel the sums run over rows in order, in double, exactly as the per-channel path does.
/// </summary>
public static unsafe partial class BatchNormKernels
{
    private const int StripWidth = 64;

    private readonly partial struct Job
    {
        // Channels [t·W, t·W + W) of an (N, C) input.
        private void Strip(int t)
        {
            int n = N, c = C, c0 = t * StripWidth, w = Math.Min(StripWidth, c - c0);
            double* sum = stackalloc double[StripWidth];
            double* sq = stackalloc double[StripWidth];
            // Forward: y = (x − a)·b + k. Backward: dx = a·dy + b·(x − μ) + k.
            float* a = stackalloc float[StripWidth];
            float* b = stackalloc float[StripWidth];
            float* k = stackalloc float[StripWidth];
            new Span<double>(sum, w).Clear();
            new Span<double>(sq, w).Clear();
            if (Mode == 2)
            {
                float* mu = Mean + c0;
                for (int i = 0; i < n; i++)
                {
                    float* dy = Dy + (long)i * c + c0, x = X + (long)i * c + c0;
                    for (int j = 0; j < w; j++)
                    {
                        sum[j] += dy[j];
                        sq[j] += dy[j] * (x[j] - (double)mu[j]);
                    }
                }

                for (int j = 0; j < w; j++)
                {
                    (a[j], b[j], k[j]) = FinishBackward(c0 + j, sum[j], sq[j]);
                }

                for (int i = 0; i < n && HasDx; i++)
                {
                    float* dy = Dy + (long)i * c + c0, x = X + (long)i * c + c0, dx = Out + (long)i * c + c0;
                    for (int j = 0; j < w; j++)
                    {
                        float v = MathF.FusedMultiplyAdd(a[j], dy[j], MathF.FusedMultiplyAdd(b[j], x[j] - mu[j], k[j]));
                        dx[j] = Accumulate ? dx[j] + v : v;
                    }
                }

                return;
            }

            if (Mode == 1)
            {
                for (int j = 0; j < w; j++)
                {
                    (a[j], b[j]) = (RunMean[c0 + j], EvalScale(c0 + j));
                }
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    float* x = X + (long)i * c + c0;
                    for (int j = 0; j < w; j++)
                    {
                        sum[j] += x[j];
                    }
                }

                for (int j = 0; j < w; j++)
                {
                    a[j] = (float)(sum[j] / n);
                }

                for (int i = 0; i < n; i++)
                {
                    float* x = X + (long)i * c + c0;
                    for (int j = 0; j < w; j++)
                    {
                        double d = x[j] - (double)a[j];
                        sq[j] += d * d;
                    }
                }

                for (int j = 0; j < w; j++)
                {
                    b[j] = FinishTrain(c0 + j, sum[j] / n, a[j], sq[j]);
                }
            }

            for (int j = 0; j < w; j++)
            {
                k[j] = Beta0(c0 + j);
            }

            for (int i = 0; i < n; i++)
            {
                float* x = X + (long)i * c + c0, y = Out + (long)i * c + c0;
                for (int j = 0; j < w; j++)
                {
                    y[j] = MathF.FusedMultiplyAdd(x[j] - a[j], b[j], k[j]);
                }
            }
        }
    }
}
