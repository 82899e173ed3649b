namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// The shared threshold of the global variant (biprop's GlobalSubnetConv, ALGORITHMS.md §3.5): the
/// |S| of every masked layer concatenated, p = ⌊(1 − k)·N⌋, τ = the p-th smallest (1-based); a layer
/// keeps |S| &gt; τ (strict, so ties at τ are all pruned). The reference recomputes τ before every
/// mini-batch; scores only change in optimizer steps, so recomputing at the start and after every
/// step (<see cref="SubnetHook"/>) gives the same τ for every batch. k = 1 (p = 0, which in the
/// reference selects the largest score and prunes everything) is guarded: everything is kept.
/// </summary>
public sealed class GlobalThreshold
{
    private readonly IReadOnlyList<SubnetMask> _layers;
    private readonly float[] _pool;
    private readonly ulong[] _keys;

    /// <summary>Creates the threshold over <paramref name="layers"/> at keep fraction <paramref name="keepFraction"/>.</summary>
    public GlobalThreshold(IReadOnlyList<SubnetMask> layers, double keepFraction)
    {
        _layers = layers;
        _pool = new float[layers.Sum(l => l.Scores.Length)];
        _keys = new ulong[_pool.Length];
        KeepFraction = keepFraction;
    }

    /// <summary>The current keep fraction (changed by the progressive ramp).</summary>
    public double KeepFraction { get; set; }

    /// <summary>τ as the bits of a non-negative float (comparable as unsigned integers).</summary>
    public uint ThresholdBits { get; private set; }

    /// <summary>τ.</summary>
    public float Threshold => BitConverter.UInt32BitsToSingle(ThresholdBits);

    /// <summary>True when k = 1 (the guard: nothing is pruned).</summary>
    public bool KeepAll { get; private set; }

    /// <summary>Recomputes τ from the current scores and refreshes every layer's mask.</summary>
    public void Update()
    {
        int p = SubnetMask.PrunedCount(KeepFraction, _pool.Length);
        KeepAll = p <= 0;
        if (!KeepAll)
        {
            int o = 0;
            foreach (var l in _layers)
            {
                l.Scores.Data.CopyTo(_pool.AsSpan(o));
                o += l.Scores.Length;
            }

            ThresholdBits = ScoreSelection.AbsBits(ScoreSelection.SelectAbs(_pool, p - 1, _keys));
        }

        foreach (var l in _layers)
        {
            l.Refresh();
        }
    }

    /// <summary>
    /// The progressive keep fraction of §3.5 at the start of epoch <paramref name="epoch"/>: only when the
    /// final k ≤ 0.5, sparsity(e) = s_f + (0.5 − s_f)·(1 − e/E_p)³ with s_f = 1 − k for e &lt; E_p, then k.
    /// </summary>
    public static double RampedKeepFraction(double finalKeep, int epoch, int rampEpochs)
    {
        if (finalKeep > 0.5 || epoch >= rampEpochs || rampEpochs <= 0)
        {
            return finalKeep;
        }

        double sf = 1 - finalKeep;
        double t = 1 - ((double)epoch / rampEpochs);
        return 1 - (sf + ((0.5 - sf) * t * t * t));
    }
}
