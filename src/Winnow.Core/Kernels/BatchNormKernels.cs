namespace Winnow.Kernels;

/// <summary>
/// Batch normalisation over layout (N, C, S): S = H·W for BatchNorm2d, S = 1 for BatchNorm1d.
/// Training: μ_c, σ²_c = mean and biased variance over (N, S); y = (x − μ)/√(σ² + eps)·γ + β;
/// running ← (1 − momentum)·running + momentum·batch, with the unbiased variance σ²·m/(m − 1)
/// (m = N·S) for running_var (PyTorch). Eval normalises with the running statistics.
/// γ/β are empty spans when affine = false (γ = 1, β = 0). Channels run in parallel; each
/// channel's sums have a fixed order (float vector partials per block, combined in double).
/// </summary>
/// <exception cref="ArgumentException">A span does not match (N, C, S), or training with N·S &lt; 2.</exception>
public static unsafe partial class BatchNormKernels
{
    private const long ParallelWork = 1 << 15;

    // x: (N,C,S), gamma/beta: (C) or empty, running*: (C) or both empty
    //   -> y: (N,C,S) (may alias x), saveMean/saveInvStd: (C), running* updated in place.
    public static void ForwardTrain(int n, int c, int s, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float eps, float momentum, Span<float> runningMean, Span<float> runningVar, Span<float> y, Span<float> saveMean, Span<float> saveInvStd)
    {
        CheckCommon(n, c, s, x.Length, y.Length, nameof(y), gamma.Length, beta.Length, saveMean.Length, saveInvStd.Length, training: true);
        CheckPair(c, runningMean.Length, runningVar.Length, nameof(runningMean), nameof(runningVar), optional: true);
        fixed (float* px = x, pg = gamma, pb = beta, prm = runningMean, prv = runningVar, py = y, pm = saveMean, pi = saveInvStd)
        {
            Run(new Job(n, c, s) { X = px, Gamma = pg, Beta = pb, RunMean = prm, RunVar = prv, Out = py, Mean = pm, InvStd = pi, Eps = eps, Momentum = momentum });
        }
    }

    // x: (N,C,S), gamma/beta: (C) or empty, runningMean/runningVar: (C) -> y: (N,C,S) (may alias x).
    public static void ForwardEval(int n, int c, int s, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float eps, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, Span<float> y)
    {
        CheckCommon(n, c, s, x.Length, y.Length, nameof(y), gamma.Length, beta.Length, c, c, training: false);
        CheckPair(c, runningMean.Length, runningVar.Length, nameof(runningMean), nameof(runningVar), optional: false);
        fixed (float* px = x, pg = gamma, pb = beta, prm = runningMean, prv = runningVar, py = y)
        {
            Run(new Job(n, c, s) { Mode = 1, X = px, Gamma = pg, Beta = pb, RunMean = prm, RunVar = prv, Out = py, Eps = eps });
        }
    }

    // dy, x: (N,C,S), gamma: (C) or empty, saveMean/saveInvStd: (C) from ForwardTrain
    //   -> dx: (N,C,S) or empty (skip), dgamma/dbeta: (C) or empty; (+)= when accumulate.
    // dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂)), dγ = Σ dy·x̂, dβ = Σ dy.
    public static void Backward(int n, int c, int s, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> saveMean, ReadOnlySpan<float> saveInvStd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, bool accumulate)
    {
        CheckCommon(n, c, s, x.Length, dy.Length, nameof(dy), gamma.Length, gamma.Length, saveMean.Length, saveInvStd.Length, training: true);
        CheckOptional(dx.Length, x.Length, nameof(dx));
        CheckOptional(dgamma.Length, c, nameof(dgamma));
        CheckOptional(dbeta.Length, c, nameof(dbeta));
        fixed (float* pdy = dy, px = x, pg = gamma, pm = saveMean, pi = saveInvStd, pdx = dx, pdg = dgamma, pdb = dbeta)
        {
            Run(new Job(n, c, s)
            {
                Mode = 2,
                Dy = pdy,
                X = px,
                Gamma = pg,
                Mean = pm,
                InvStd = pi,
                Out = pdx,
                DGamma = pdg,
                DBeta = pdb,
                HasDx = dx.Length > 0,
                HasDGamma = dgamma.Length > 0,
                HasDBeta = dbeta.Length > 0,
                Accumulate = accumulate,
            });
        }
    }

    private static void Run(in Job job)
    {
        int items = job.Items;
        // Small problems run on the calling thread; the split never changes the summation order.
        Parallelism.For(items, job, parallel: !((long)job.N * job.C * job.S < ParallelWork));
    }

    private static void CheckCommon(int n, int c, int s, int xLen, int otherLen, string other, int gammaLen, int betaLen, int meanLen, int invStdLen, bool training)
    {
        if (n < 0 || c < 0 || s < 0 || (long)n * c * s != xLen)
        {
            throw new ArgumentException($"BatchNorm: x has {xLen} elements but (N, C, S) = ({n}, {c}, {s}) needs {(long)n * c * s}.", "x");
        }

        CheckOptional(otherLen, xLen, other, allowEmpty: false);
        CheckOptional(gammaLen, c, "gamma");
        CheckOptional(betaLen, c, "beta");
        if ((gammaLen == 0) != (betaLen == 0))
        {
            throw new ArgumentException("BatchNorm: gamma and beta must both be given (affine) or both be empty (affine = false).", "beta");
        }

        CheckOptional(meanLen, c, "saveMean", allowEmpty: false);
        CheckOptional(invStdLen, c, "saveInvStd", allowEmpty: false);
        if (training && (long)n * s < 2)
        {
            throw new ArgumentException($"BatchNorm: expected more than 1 value per channel when training, got N·S = {n}·{s} = {(long)n * s}. Use a batch of at least 2 samples, or evaluation mode.", "x");
        }
    }

    private static void CheckPair(int c, int meanLen, int varLen, string meanName, string varName, bool optional)
    {
        CheckOptional(meanLen, c, meanName, optional);
        CheckOptional(varLen, c, varName, optional);
        if (meanLen != varLen)
        {
            throw new ArgumentException($"BatchNorm: {meanName} and {varName} must both have C = {c} elements or both be empty (no running statistics).", varName);
        }
    }

    private static void CheckOptional(int actual, int expected, string name, bool allowEmpty = true)
    {
        if (actual != expected && !(allowEmpty && actual == 0))
        {
            throw new ArgumentException($"BatchNorm: '{name}' has {actual} elements but {expected}{(allowEmpty ? " (or 0 to skip)" : "")} were expected.", name);
        }
    }
}
