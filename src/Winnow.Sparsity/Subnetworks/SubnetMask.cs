using Winnow.NN;
using Winnow.NN.Layers;

namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// The score-masked weight of one layer (biprop's SubnetConv / GlobalSubnetConv, edge-popup's
/// SubnetConv; ALGORITHMS.md §3.2–3.5, §4.6). Holds the trainable scores S (same shape as the
/// frozen weight W, U(±1/√fan_in)) and recomputes the mask M and gain α from S in every forward pass:
/// <list type="bullet">
/// <item>layer-wise: M = 0 for the j = ⌊(1 − k)·n⌋ smallest |S| (ties by index), α = Σ|W|·M / d with
/// d = ⌊k·n⌋ (<see cref="AlphaDenominator.ReferenceFloor"/>) or the kept count;</item>
/// <item>global (<see cref="GlobalThreshold"/> set): M = 1 iff |S| &gt; τ, α = Σ|W|·M / (ones in M).</item>
/// </list>
/// The effective weight is built by <see cref="ScoreStraightThrough"/>.
/// </summary>
public sealed class SubnetMask : IWeightTransform
{
    private readonly ulong[] _keys;
    private readonly float[] _mask;

    /// <summary>Creates scores for <paramref name="weight"/> (its <see cref="Tensor.Name"/> names the layer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The keep fraction is outside (0, 1].</exception>
    public SubnetMask(Tensor weight, SubnetMethod method, double keepFraction, Rng rng, AlphaDenominator denominator = AlphaDenominator.ReferenceFloor)
    {
        if (!(keepFraction > 0 && keepFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(keepFraction), keepFraction, "The keep fraction must be in (0, 1] (e.g. 0.5 keeps half the weights of every masked layer).");
        }

        Weight = weight;
        Method = method;
        KeepFraction = keepFraction;
        Denominator = denominator;
        Name = weight.Name ?? "weight";
        Scores = new Parameter(weight.Shape.ToArray()) { Name = Name + ".scores" };
        Init.KaimingUniform(Scores, rng);
        _keys = new ulong[weight.Length];
        _mask = new float[weight.Length];
    }

    /// <summary>Name of the masked weight (e.g. "features.0.weight").</summary>
    public string Name { get; }

    /// <summary>The frozen random weight W.</summary>
    public Tensor Weight { get; }

    /// <summary>The trainable scores S.</summary>
    public Parameter Scores { get; }

    public SubnetMethod Method { get; }

    /// <summary>Keep fraction k of the layer-wise variant.</summary>
    public double KeepFraction { get; }

    public AlphaDenominator Denominator { get; }

    /// <summary>When set, the mask is |S| &gt; τ with the threshold shared by every layer (global variant).</summary>
    public GlobalThreshold? GlobalThreshold { get; set; }

    /// <summary>The mask of the last forward pass (or <see cref="Refresh"/>).</summary>
    public ReadOnlySpan<float> Mask => _mask;

    /// <summary>Ones in <see cref="Mask"/>.</summary>
    public int Kept { get; private set; }

    /// <summary>The gain α of the last forward pass (biprop; 1 for edge-popup).</summary>
    public float Alpha { get; private set; } = 1f;

    /// <summary>The reference's pruned count j = ⌊(1 − k)·n⌋ (computed in double, as Python does).</summary>
    public static int PrunedCount(double keepFraction, int n) => (int)Math.Floor((1 - keepFraction) * n);

    /// <summary>Recomputes <see cref="Mask"/>, <see cref="Kept"/> and <see cref="Alpha"/> from the current scores.</summary>
    public void Refresh()
    {
        var s = Scores.Data;
        int n = s.Length;
        double denominator;
        if (GlobalThreshold is { } global)
        {
            uint tau = global.ThresholdBits;
            int kept = 0;
            for (int i = 0; i < n; i++)
            {
                bool keep = global.KeepAll || ScoreSelection.AbsBits(s[i]) > tau;
                _mask[i] = keep ? 1f : 0f;
                kept += keep ? 1 : 0;
            }

            Kept = kept;
            denominator = kept;
        }
        else
        {
            int pruned = PrunedCount(KeepFraction, n);
            ScoreSelection.MaskByRank(s, pruned, _mask, _keys);
            Kept = n - pruned;
            denominator = Denominator == AlphaDenominator.ReferenceFloor ? Math.Floor(KeepFraction * n) : Kept;
        }

        if (Method == SubnetMethod.Biprop)
        {
            double sum = 0;
            var w = Weight.Data;
            for (int i = 0; i < n; i++)
            {
                sum += _mask[i] * Math.Abs(w[i]);
            }

            // An empty layer (global variant) gives 0/0 = NaN in the reference; α is irrelevant then since every weight is 0.
            Alpha = denominator > 0 ? (float)(sum / denominator) : 0f;
        }
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor weight)
    {
        Refresh();

        // No copy of the mask: the op reads it only in its forward, which runs here; its backward needs W and S only.
        return new ScoreStraightThrough(_mask, Alpha, Method).Apply(Scores, weight);
    }
}
