namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// Overlap between two sets of masks of the same model (e.g. two checkpoints' <c>masks.*</c>), per
/// tensor and overall. A tensor masked in only one set counts as dense (all kept) in the other.
/// </summary>
public sealed record MaskOverlap(IReadOnlyList<LayerOverlap> Layers)
{
    /// <summary>All tensors together.</summary>
    public LayerOverlap Overall => new("all", Layers.Sum(l => l.KeptA), Layers.Sum(l => l.KeptB), Layers.Sum(l => l.Both), Layers.Sum(l => l.Total));

    /// <summary>Compares masks keyed by weight name (values 0 = pruned, non-zero = kept).</summary>
    /// <exception cref="ArgumentException">A tensor has different shapes in the two sets, or neither set has any mask.</exception>
    public static MaskOverlap Compare(IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b)
    {
        var names = a.Keys.Concat(b.Keys.Where(k => !a.ContainsKey(k))).ToList();
        if (names.Count == 0)
        {
            throw new ArgumentException("Neither mask set holds any mask to compare.");
        }

        var layers = new List<LayerOverlap>();
        foreach (var name in names)
        {
            var ma = a.GetValueOrDefault(name);
            var mb = b.GetValueOrDefault(name);
            if (ma is not null && mb is not null && !ma.Shape.SequenceEqual(mb.Shape))
            {
                throw new ArgumentException($"Mask '{name}' has shape {Tensor.ShapeString(ma.Shape)} in the first set but {Tensor.ShapeString(mb.Shape)} in the second: the masks belong to different models.");
            }

            layers.Add(Count(name, ma, mb));
        }

        return new MaskOverlap(layers);
    }

    private static LayerOverlap Count(string name, Tensor? a, Tensor? b)
    {
        int n = (a ?? b)!.Length;
        long keptA = 0, keptB = 0, both = 0;
        for (int i = 0; i < n; i++)
        {
            bool x = a is null || a.Data[i] != 0f, y = b is null || b.Data[i] != 0f;
            keptA += x ? 1 : 0;
            keptB += y ? 1 : 0;
            both += x && y ? 1 : 0;
        }

        return new LayerOverlap(name, keptA, keptB, both, n);
    }
}
