using Winnow.Autograd;
using Winnow.NN;

namespace Winnow.Sparsity.Masks;

/// <summary>
/// Hard binary masks (1 = kept, 0 = pruned), one per maskable weight, addressed by parameter name.
/// <see cref="Apply"/> zeroes the pruned weights; <see cref="HardMaskHook"/> re-applies the masks
/// after every optimizer step, so gradients stay dense (Sparse Momentum, SET, RigL and IMP need
/// them) while the weights stay exactly sparse.
/// </summary>
public sealed class MaskSet
{
    private readonly Dictionary<string, Tensor> _masks = new(StringComparer.Ordinal);

    // Weight name -> mask Version from which its optimizer steps only the kept weights (see MarkKeptStep).
    private readonly Dictionary<string, int> _keptStepSince = new(StringComparer.Ordinal);
    private int _appliedVersion = -1;

    /// <summary>Creates all-ones (dense) masks for the selected weights of <paramref name="model"/>.</summary>
    public MaskSet(Module model, MaskableSelection? selection = null)
    {
        Model = model;
        Targets = (selection ?? MaskableSelection.All).Resolve(model);
        foreach (var t in Targets)
        {
            _masks[t.Name] = Tensor.Full(1f, t.Weight.Shape.ToArray());
            _masks[t.Name].Name = t.Name + ".mask";
        }
    }

    /// <summary>The model the masks belong to.</summary>
    public Module Model { get; }

    /// <summary>The masked weights, in registration order.</summary>
    public IReadOnlyList<MaskTarget> Targets { get; }

    /// <summary>The mask of the weight named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No mask has that name; the message lists the masked tensors.</exception>
    public Tensor this[string name] => _masks.TryGetValue(name, out var m) ? m
        : throw new KeyNotFoundException($"No mask for '{name}'.{Winnow.Settings.NameSuggestions.DidYouMean(name, _masks.Keys)} Masked tensors: {string.Join(", ", _masks.Keys)}.");

    /// <summary>Whether a mask exists for <paramref name="name"/>.</summary>
    public bool Contains(string name) => _masks.ContainsKey(name);

    /// <summary>Kept (non-zero mask) entries over all masked tensors.</summary>
    public long Kept => Targets.Sum(t => (long)KeptIn(t.Name));

    /// <summary>Total entries over all masked tensors.</summary>
    public long Total => Targets.Sum(t => (long)t.Count);

    /// <summary>Kept fraction over the masked tensors.</summary>
    public double Density => Total == 0 ? 1 : (double)Kept / Total;

    /// <summary>Kept entries of one mask.</summary>
    public int KeptIn(string name)
    {
        int kept = 0;
        foreach (float v in this[name].Data)
        {
            if (v != 0f)
            {
                kept++;
            }
        }

        return kept;
    }

    /// <summary>Replaces one mask (values must be 0 or 1, shape equal to the weight's).</summary>
    /// <exception cref="ArgumentException">Shape differs or a value is not 0/1.</exception>
    public void Set(string name, ReadOnlySpan<float> values)
    {
        var mask = this[name];
        if (values.Length != mask.Length)
        {
            throw new ArgumentException($"Mask for '{name}' needs {mask.Length} values (shape {Tensor.ShapeString(mask.Shape)}), got {values.Length}.");
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != 0f && values[i] != 1f)
            {
                throw new ArgumentException($"Mask for '{name}' has value {values[i]} at index {i}; masks hold only 0 (pruned) and 1 (kept).");
            }
        }

        values.CopyTo(mask.Data);
        Version++;
    }

    /// <summary>
    /// Incremented by every <see cref="Set"/> and <see cref="MarkChanged"/>, so sparse execution knows when to
    /// rebuild its patterns.
    /// </summary>
    public int Version { get; private set; }

    /// <summary>Records that mask values were written in place (through <c>this[name].Data</c>) rather than by <see cref="Set"/>.</summary>
    public void MarkChanged() => Version++;

    /// <summary>Zeroes every pruned weight (w ← w ⊙ m), outside autograd.</summary>
    public void Apply()
    {
        using var noGrad = GradMode.NoGrad();
        foreach (var t in Targets)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(t.Weight.Data, _masks[t.Name].Data, t.Weight.Data);
        }

        _appliedVersion = Version;
    }

    /// <summary>
    /// Declares that the optimizer now steps only the kept weights of <paramref name="name"/>, with a pattern
    /// built from the current masks (<paramref name="kept"/> true), or no longer does (false). Set by sparse
    /// execution; <see cref="ApplyAfterStep"/> then skips that weight.
    /// </summary>
    /// <exception cref="ArgumentException">No mask is named <paramref name="name"/>.</exception>
    public void MarkKeptStep(string name, bool kept)
    {
        _ = this[name];
        if (kept)
        {
            _keptStepSince[name] = Version;
        }
        else
        {
            _keptStepSince.Remove(name);
        }
    }

    /// <summary>
    /// <see cref="Apply"/> after an optimizer step, skipping the weights whose step touched only kept positions
    /// (<see cref="MarkKeptStep"/>) when nothing can have revived a pruned weight: the masks have not changed
    /// since that step's pattern was built and a full <see cref="Apply"/> ran since the last change. Their
    /// pruned weights were zero and the step left them alone, so they are still exactly zero and the
    /// multiply would change nothing. Returns how many weights were skipped.
    /// </summary>
    public int ApplyAfterStep()
    {
        if (_keptStepSince.Count == 0 || _appliedVersion != Version)
        {
            Apply();
            return 0;
        }

        using var noGrad = GradMode.NoGrad();
        int skipped = 0;
        foreach (var t in Targets)
        {
            if (_keptStepSince.TryGetValue(t.Name, out int since) && since == Version)
            {
                skipped++;
                continue;
            }

            System.Numerics.Tensors.TensorPrimitives.Multiply(t.Weight.Data, _masks[t.Name].Data, t.Weight.Data);
        }

        return skipped;
    }

    /// <summary>Copies of the masks keyed by weight name (for checkpoints: <c>masks.{name}</c> extras).</summary>
    public Dictionary<string, Tensor> Snapshot() => _masks.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal);

    /// <summary>Loads masks saved by <see cref="Snapshot"/>: every masked tensor must be present with the weight's shape.</summary>
    /// <exception cref="ArgumentException">Names or shapes do not match this model; the message lists the differences.</exception>
    public void Load(IReadOnlyDictionary<string, Tensor> masks, string source = "the mask file")
    {
        var problems = new List<string>();
        foreach (var t in Targets)
        {
            if (!masks.TryGetValue(t.Name, out var m))
            {
                problems.Add($"no mask for '{t.Name}'");
            }
            else if (!m.Shape.SequenceEqual(t.Weight.Shape))
            {
                problems.Add($"mask '{t.Name}' has shape {Tensor.ShapeString(m.Shape)} but the weight has {Tensor.ShapeString(t.Weight.Shape)}");
            }
        }

        foreach (var name in masks.Keys.Where(k => !_masks.ContainsKey(k)))
        {
            problems.Add($"'{name}' is not a masked weight of this model");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Cannot use the masks from {source}: {string.Join("; ", problems)}. Was it made for another model or mask selection?");
        }

        foreach (var t in Targets)
        {
            Set(t.Name, masks[t.Name].Data);
        }
    }

    /// <summary>
    /// Overlap with another mask set over the same tensors: |A ∩ B| / |A ∪ B| (Jaccard) and the
    /// fraction of this set's kept weights that the other also keeps.
    /// </summary>
    public (double Jaccard, double Contained) Overlap(MaskSet other)
    {
        long both = 0, either = 0, mine = 0;
        foreach (var t in Targets)
        {
            var a = this[t.Name].Data;
            var b = other[t.Name].Data;
            for (int i = 0; i < a.Length; i++)
            {
                bool x = a[i] != 0f, y = b[i] != 0f;
                both += x && y ? 1 : 0;
                either += x || y ? 1 : 0;
                mine += x ? 1 : 0;
            }
        }

        return (either == 0 ? 1 : (double)both / either, mine == 0 ? 1 : (double)both / mine);
    }
}
