using Winnow.NN;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// A copy of every parameter and buffer of a model (its state dict, BN running statistics
/// included), to rewind to later.
/// </summary>
public sealed class ModelSnapshot
{
    private readonly Dictionary<string, Tensor> _state;

    private ModelSnapshot(Dictionary<string, Tensor> state, long step)
    {
        _state = state;
        Step = step;
    }

    /// <summary>The global step (optimizer steps completed) at which the snapshot was taken.</summary>
    public long Step { get; }

    /// <summary>The saved tensors by dotted name (copies; do not modify).</summary>
    public IReadOnlyDictionary<string, Tensor> State => _state;

    /// <summary>Copies the current state of <paramref name="model"/> (never pooled, so safe inside a training step).</summary>
    public static ModelSnapshot Capture(Module model, long step = 0)
        => new(model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal), step);

    /// <summary>Writes the saved values back into <paramref name="model"/>'s parameters and buffers.</summary>
    /// <exception cref="ArgumentException">The model's names or shapes differ from the snapshot's.</exception>
    public void Restore(Module model) => model.LoadStateDict(_state);
}
