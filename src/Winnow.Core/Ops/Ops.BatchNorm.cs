using Winnow.Autograd;
using Winnow.Kernels;

namespace Winnow;

public static partial class Ops
{
    /// <summary>
    /// Batch normalisation over (N,C) or (N,C,H,W), PyTorch semantics. Training: normalise with the
    /// batch mean and biased variance; update running stats (when given) with
    /// running ← (1−momentum)·running + momentum·batch, using the unbiased variance.
    /// Evaluation: normalise with the running stats. y = γ·x̂ + β when affine (gamma/beta non-null).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not match the channel count; a training batch has one value per channel.</exception>
    public static Tensor BatchNorm(Tensor x, Tensor? gamma, Tensor? beta, Tensor? runningMean, Tensor? runningVar, bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        if (x.Rank != 2 && x.Rank != 4)
        {
            throw new ArgumentException($"Ops.BatchNorm: input has shape {Tensor.ShapeString(x.Shape)}; expected (N,C) for BatchNorm1d or (N,C,H,W) for BatchNorm2d.");
        }

        int n = x.Dim(0), c = x.Dim(1), s = x.Rank == 4 ? x.Dim(2) * x.Dim(3) : 1;
        foreach (var (t, what) in new[] { (gamma, "gamma"), (beta, "beta"), (runningMean, "running_mean"), (runningVar, "running_var") })
        {
            if (t is not null && t.Length != c)
            {
                throw new ArgumentException($"Ops.BatchNorm: {what} has shape {Tensor.ShapeString(t.Shape)} but the input {Tensor.ShapeString(x.Shape)} has {c} channels.");
            }
        }

        if (!training && (runningMean is null || runningVar is null))
        {
            throw new ArgumentException("Ops.BatchNorm: evaluation mode needs running statistics; this layer does not track them (track_running_stats=false), so use training-mode statistics.");
        }

        var y = x.EmptyLike();
        ReadOnlySpan<float> gd = gamma is null ? default : gamma.Data, bd = beta is null ? default : beta.Data;
        if (!training)
        {
            BatchNormKernels.ForwardEval(n, c, s, x.Data, gd, bd, eps, runningMean!.Data, runningVar!.Data, y.Data);
            if (Graph.ShouldRecord([x, gamma, beta]))
            {
                RecordBatchNormEval(x, gamma, beta, runningMean, runningVar, y, n, c, s, eps);
            }

            return y;
        }

        var saveMean = Tensor.Empty(c);
        var saveInvStd = Tensor.Empty(c);
        BatchNormKernels.ForwardTrain(n, c, s, x.Data, gd, bd, eps, momentum,
            runningMean is null ? default : runningMean.Data, runningVar is null ? default : runningVar.Data, y.Data, saveMean.Data, saveInvStd.Data);
        if (Graph.ShouldRecord([x, gamma, beta]))
        {
            Graph.Record(y, "BatchNorm", gamma is null ? [x] : [x, gamma, beta!], g =>
            {
                bool affine = gamma is not null;
                bool accX = false, accG = false, accB = false;
                var dx = x.RequiresGrad ? x.GradTarget(out accX) : default;
                Span<float> dgamma = default, dbeta = default;
                Tensor? scratch = null;
                if (affine)
                {
                    // The kernel writes both affine gradients; frozen γ/β get a scratch buffer.
                    bool needScratch = !gamma!.RequiresGrad || !beta!.RequiresGrad;
                    scratch = needScratch ? Tensor.Empty(2 * c) : null;
                    dgamma = gamma.RequiresGrad ? gamma.GradTarget(out accG) : scratch!.Data[..c];
                    dbeta = beta!.RequiresGrad ? beta.GradTarget(out accB) : scratch!.Data[c..];
                }

                bool accAll = accX && accG && accB;
                bool noneAcc = !accX && !accG && !accB;
                if (accAll || noneAcc || !affine)
                {
                    BatchNormKernels.Backward(n, c, s, g.Data, x.Data, gamma is null ? default : gamma.Data, saveMean.Data, saveInvStd.Data, dx, dgamma, dbeta, affine ? accAll : accX);
                    return;
                }

                // Mixed accumulation states (rare: a gradient already present on some inputs only).
                var tmp = Tensor.Empty(x.Length + 2 * c);
                var tx = tmp.Data[..x.Length];
                var tg = tmp.Data.Slice(x.Length, c);
                var tb = tmp.Data.Slice(x.Length + c, c);
                BatchNormKernels.Backward(n, c, s, g.Data, x.Data, gamma is null ? default : gamma.Data, saveMean.Data, saveInvStd.Data, dx.IsEmpty ? default : tx, tg, tb, false);
                if (!dx.IsEmpty)
                {
                    AddOrCopy(dx, tx, accX);
                }

                AddOrCopy(dgamma, tg, accG);
                AddOrCopy(dbeta, tb, accB);
            });
        }

        return y;
    }

    // Evaluation mode is an affine map per channel: dx = dy·γ·invstd, dγ = Σ dy·x̂, dβ = Σ dy.
    private static void RecordBatchNormEval(Tensor x, Tensor? gamma, Tensor? beta, Tensor rm, Tensor rv, Tensor y, int n, int c, int s, float eps)
    {
        Graph.Record(y, "BatchNormEval", gamma is null ? [x] : [x, gamma, beta!], g =>
        {
            var gd = g.Data;
            var xd = x.Data;
            bool accX = false, accG = false, accB = false;
            var dx = x.RequiresGrad ? x.GradTarget(out accX) : default;
            var dgamma = gamma is not null && gamma.RequiresGrad ? gamma.GradTarget(out accG) : default;
            var dbeta = beta is not null && beta.RequiresGrad ? beta.GradTarget(out accB) : default;
            for (int ch = 0; ch < c; ch++)
            {
                float invStd = 1f / MathF.Sqrt(rv.Data[ch] + eps);
                float mean = rm.Data[ch];
                float scale = invStd * (gamma is null ? 1f : gamma.Data[ch]);
                double sg = 0, sgx = 0;
                for (int i = 0; i < n; i++)
                {
                    int off = (i * c + ch) * s;
                    for (int j = 0; j < s; j++)
                    {
                        float gv = gd[off + j];
                        sg += gv;
                        sgx += gv * (xd[off + j] - mean) * invStd;
                        if (!dx.IsEmpty)
                        {
                            dx[off + j] = (accX ? dx[off + j] : 0f) + gv * scale;
                        }
                    }
                }

                if (!dgamma.IsEmpty)
                {
                    dgamma[ch] = (accG ? dgamma[ch] : 0f) + (float)sgx;
                }

                if (!dbeta.IsEmpty)
                {
                    dbeta[ch] = (accB ? dbeta[ch] : 0f) + (float)sg;
                }
            }
        });
    }
}
