namespace Winnow.NN.Layers;

/// <summary>Inverted dropout with probability <see cref="P"/>; identity in evaluation mode.</summary>
public sealed class Dropout : Module
{
    private readonly Rng _rng;

    /// <summary>Creates the layer; <paramref name="rng"/> drives the masks (forked, so the caller's stream is not shared).</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1).</exception>
    public Dropout(float p, Rng rng)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        }

        P = p;
        _rng = rng.Fork();
    }

    public float P { get; }

    /// <summary>The layer's own generator (part of a run's resumable state).</summary>
    public Rng Rng => _rng;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Dropout(input, P, Training, _rng);
}
