namespace Winnow.Kernels;

/// <summary>Double-precision reference twins of the batch-norm kernels (test oracles).</summary>
public static partial class BatchNormKernels
{
    /// <summary>Oracle for <see cref="ForwardTrain"/>: two-pass double-precision loops.</summary>
    public static void ForwardTrainNaive(int n, int c, int s, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float eps, float momentum, Span<float> runningMean, Span<float> runningVar, Span<float> y, Span<float> saveMean, Span<float> saveInvStd)
    {
        CheckCommon(n, c, s, x.Length, y.Length, nameof(y), gamma.Length, beta.Length, saveMean.Length, saveInvStd.Length, training: true);
        double m = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double mean = 0, var = 0;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < s; k++)
                {
                    mean += x[(i * c + ch) * s + k];
                }
            }

            mean /= m;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < s; k++)
                {
                    double d = x[(i * c + ch) * s + k] - mean;
                    var += d * d;
                }
            }

            var /= m;
            double invStd = 1.0 / Math.Sqrt(var + eps);
            Normalise(n, c, s, ch, x, gamma, beta, mean, invStd, y);
            saveMean[ch] = (float)mean;
            saveInvStd[ch] = (float)invStd;
            if (runningMean.Length > 0)
            {
                runningMean[ch] = (float)((1.0 - momentum) * runningMean[ch] + momentum * mean);
                runningVar[ch] = (float)((1.0 - momentum) * runningVar[ch] + momentum * var * m / (m - 1.0));
            }
        }
    }

    /// <summary>Oracle for <see cref="ForwardEval"/> (double precision).</summary>
    public static void ForwardEvalNaive(int n, int c, int s, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float eps, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> y)
    {
        for (int ch = 0; ch < c; ch++)
        {
            Normalise(n, c, s, ch, x, gamma, beta, runningMean[ch], 1.0 / Math.Sqrt(runningVar[ch] + (double)eps), y);
        }
    }

    /// <summary>Oracle for <see cref="Backward"/> (double precision).</summary>
    public static void BackwardNaive(int n, int c, int s, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> saveMean, ReadOnlySpan<float> saveInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, bool accumulate)
    {
        double m = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double mean = saveMean[ch], invStd = saveInvStd[ch], g = gamma.Length > 0 ? gamma[ch] : 1.0, sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < s; k++)
                {
                    int at = (i * c + ch) * s + k;
                    sumDy += dy[at];
                    sumDyXhat += dy[at] * (x[at] - mean) * invStd;
                }
            }

            for (int i = 0; i < n && dx.Length > 0; i++)
            {
                for (int k = 0; k < s; k++)
                {
                    int at = (i * c + ch) * s + k;
                    double xhat = (x[at] - mean) * invStd;
                    double v = g * invStd * (dy[at] - sumDy / m - xhat * sumDyXhat / m);
                    dx[at] = (float)((accumulate ? dx[at] : 0.0) + v);
                }
            }

            if (dgamma.Length > 0)
            {
                dgamma[ch] = (float)((accumulate ? dgamma[ch] : 0.0) + sumDyXhat);
            }

            if (dbeta.Length > 0)
            {
                dbeta[ch] = (float)((accumulate ? dbeta[ch] : 0.0) + sumDy);
            }
        }
    }

    private static void Normalise(int n, int c, int s, int ch, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        double mean, double invStd, Span<float> y)
    {
        double g = gamma.Length > 0 ? gamma[ch] : 1.0, b = beta.Length > 0 ? beta[ch] : 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < s; k++)
            {
                int at = (i * c + ch) * s + k;
                y[at] = (float)((x[at] - mean) * invStd * g + b);
            }
        }
    }
}
