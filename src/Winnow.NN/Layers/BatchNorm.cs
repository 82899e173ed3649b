namespace Winnow.NN.Layers;

/// <summary>
/// Batch normalisation over (N,C) or (N,C,H,W) with PyTorch semantics: eps 1e-5, momentum 0.1,
/// γ = 1 and β = 0 when affine, running mean 0 and variance 1 (unbiased variance in the running
/// estimate), and <c>num_batches_tracked</c> counted. <see cref="BatchNorm1d"/> and
/// <see cref="BatchNorm2d"/> fix the expected input rank.
/// </summary>
public abstract class BatchNorm : Module
{
    private readonly int _rank;

    private protected BatchNorm(int numFeatures, int rank, float eps, float momentum, bool affine, bool trackRunningStats)
    {
        if (numFeatures <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, "BatchNorm needs a positive number of features (channels).");
        }

        if (!(eps > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "BatchNorm eps must be positive.");
        }

        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm momentum must be in [0, 1] (PyTorch default 0.1).");
        }

        _rank = rank;
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", new Parameter(numFeatures));
            Init.Constant(Weight, 1f);
            Bias = RegisterParameter("bias", new Parameter(numFeatures));
        }

        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", new Tensor(numFeatures));
            RunningVar = RegisterBuffer("running_var", new Tensor(numFeatures));
            Init.Constant(RunningVar, 1f);
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", new Tensor());
        }
    }

    public int NumFeatures { get; }

    public float Eps { get; }

    public float Momentum { get; }

    /// <summary>γ, or null when not affine.</summary>
    public Parameter? Weight { get; }

    /// <summary>β, or null when not affine.</summary>
    public Parameter? Bias { get; }

    public Tensor? RunningMean { get; }

    public Tensor? RunningVar { get; }

    /// <summary>Count of training batches seen (stored as float for the checkpoint; PyTorch stores int64).</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != _rank)
        {
            throw new ArgumentException($"{GetType().Name}: input has shape {Tensor.ShapeString(input.Shape)}; expected rank {_rank} ({(_rank == 2 ? "N, C" : "N, C, H, W")}).");
        }

        if (Training && NumBatchesTracked is not null)
        {
            NumBatchesTracked.Data[0] += 1;
        }

        // Without running statistics PyTorch normalises with batch statistics in eval mode too.
        bool useBatchStats = Training || RunningMean is null;
        return Ops.BatchNorm(input, Weight, Bias, RunningMean, RunningVar, useBatchStats, Momentum, Eps);
    }
}
