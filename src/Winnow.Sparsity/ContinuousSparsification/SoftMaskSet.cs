using Winnow.NN;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>
/// One <see cref="SoftMask"/> per selected Linear/Conv2d weight, attached as the layer's weight
/// transform, with the model-wide operations of Continuous Sparsification: temperature, soft/hard
/// mode, the between-round clip, the exact ticket density #(s &gt; 0)/#s and the top-k extraction.
/// The logits are not module parameters, so they are never in the model's state dict or weight optimizer.
/// </summary>
public sealed class SoftMaskSet
{
    private readonly List<(MaskTarget Target, SoftMask Mask)> _masks = [];
    private readonly Module _model;
    private readonly MaskableSelection _selection;

    /// <summary>Attaches a mask with logits s0 to every weight <paramref name="selection"/> picks.</summary>
    /// <exception cref="ArgumentException">The selection names unknown tensors or selects nothing.</exception>
    public SoftMaskSet(Module model, MaskableSelection selection, float initialValue, bool scaleHardMask = true)
    {
        InitialValue = initialValue;
        _model = model;
        _selection = selection;
        foreach (var t in selection.Resolve(model))
        {
            var m = new SoftMask(t.Weight, initialValue) { ScaleHardMask = scaleHardMask };
            t.Transform = m;
            _masks.Add((t, m));
        }
    }

    /// <summary>s0.</summary>
    public float InitialValue { get; }

    /// <summary>The masks by target, in registration order.</summary>
    public IReadOnlyList<(MaskTarget Target, SoftMask Mask)> Masks => _masks;

    /// <summary>Every logit tensor (the mask optimizer's parameters).</summary>
    public IEnumerable<Parameter> Logits => _masks.Select(m => m.Mask.Logits);

    /// <summary>Number of masked weights N.</summary>
    public long Total => _masks.Sum(m => (long)m.Target.Count);

    /// <summary>Weights the hard mask keeps: #(s &gt; 0).</summary>
    public long Kept => _masks.Sum(m => (long)Count(m.Mask.Logits.Data));

    /// <summary>Ticket density #(s &gt; 0)/#s over the masked tensors (ALGORITHMS.md §1.8).</summary>
    public double Density => (double)Kept / Total;

    /// <summary>The common temperature β.</summary>
    public float Beta
    {
        get => _masks[0].Mask.Beta;
        set => _masks.ForEach(m => m.Mask.Beta = value);
    }

    /// <summary>Hard (ticket) mode c·1[s &gt; 0] instead of c·σ(β·s).</summary>
    public bool Hard
    {
        get => _masks[0].Mask.Hard;
        set => _masks.ForEach(m => m.Mask.Hard = value);
    }

    /// <summary>
    /// The between-round update: <see cref="ClipMode.ReferenceCode"/> s ← min(s, s0);
    /// <see cref="ClipMode.Paper"/> s ← min(β_T·s, s0).
    /// </summary>
    public void Clip(ClipMode mode, double finalTemperature)
    {
        float scale = mode == ClipMode.Paper ? (float)finalTemperature : 1f;
        foreach (var (_, m) in _masks)
        {
            var s = m.Logits.Data;
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = Math.Min(scale * s[i], InitialValue);
            }
        }
    }

    /// <summary>
    /// Exact-target extraction (Winnow extension): keeps the k = round(d·N) largest logits over all
    /// masked tensors (ties by flat index in registration order, ALGORITHMS.md §0.4) by setting kept
    /// logits to max(s, ε) and the others to min(s, 0), so the hard mask 1[s &gt; 0] keeps exactly k.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="density"/> is not in (0, 1].</exception>
    public void KeepTopK(double density)
    {
        if (density is not (> 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(density), density, "The target density must be in (0, 1].");
        }

        long total = Total;
        var order = new (float Score, long Index, int Mask, int Offset)[total];
        long n = 0;
        for (int mi = 0; mi < _masks.Count; mi++)
        {
            var s = _masks[mi].Mask.Logits.Data;
            for (int i = 0; i < s.Length; i++, n++)
            {
                order[n] = (s[i], n, mi, i);
            }
        }

        Array.Sort(order, (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        long k = Math.Max(1, (long)Math.Round(density * total));
        for (long j = 0; j < total; j++)
        {
            var (score, _, mi, off) = order[j];
            _masks[mi].Mask.Logits.Data[off] = j < k ? Math.Max(score, 1e-6f) : Math.Min(score, 0f);
        }
    }

    /// <summary>λ·Σ m over every mask (soft mode: differentiable through the sigmoid).</summary>
    public Tensor Penalty(double lambda)
    {
        Tensor? sum = null;
        foreach (var (_, m) in _masks)
        {
            var part = Ops.Sum(m.Mask());
            sum = sum is null ? part : Ops.Add(sum, part);
        }

        return Ops.Scale(sum!, (float)lambda);
    }

    /// <summary>Detaches every mask from its layer (the model then uses its raw weights).</summary>
    public void Detach() => _masks.ForEach(m => m.Target.Transform = null);

    /// <summary>
    /// Exports the ticket as an ordinary hard-masked model: folds the hard mask into the weights
    /// (W ← W ⊙ c·1[s &gt; 0], so the network computes exactly what the ticket computed), detaches the
    /// soft masks and returns the 0/1 masks as a <see cref="MaskSet"/> (checkpoints, reports, `winnow eval`).
    /// </summary>
    public MaskSet Export()
    {
        Hard = true;
        var set = new MaskSet(_model, _selection);
        using (Winnow.Autograd.GradMode.NoGrad())
        {
            foreach (var (t, m) in _masks)
            {
                var mask = m.Mask().ToArray();
                var w = t.Weight.Data;
                var binary = new float[mask.Length];
                for (int i = 0; i < w.Length; i++)
                {
                    w[i] *= mask[i];
                    binary[i] = mask[i] != 0f ? 1f : 0f;
                }

                set.Set(t.Name, binary);
            }
        }

        Detach();
        return set;
    }

    private static int Count(ReadOnlySpan<float> s)
    {
        int c = 0;
        foreach (float v in s)
        {
            c += v > 0 ? 1 : 0;
        }

        return c;
    }
}
