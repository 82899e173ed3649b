using Winnow.NN.Optim;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// One mask update ("truncate weights", ALGORITHMS.md §2.5), in the reference order:
/// (a) statistics nnz_l, zeros_l and shares s_l = r_l/Σr; (b) p_l = min(zeros_l/n_l, p) for layers over
/// 80% dense with s_l &gt; 1/L; (c) drop ⌈p_l·nnz_l⌉ (RigL ⌊·⌋) smallest-|w| active weights, or for
/// global_magnitude every active |w| under one searched threshold (aimed at ⌈p·B⌉, p = the LAST layer's p_l as
/// in the reference); (d) budgets g_l by <see cref="GrowthBudget"/> from G = Σ removed + adjusted_growth
/// (layer-wise: g_l = removed_l), for global_magnitude scaled g_l ← ⌊removed/(B·p_l)·g_l⌋;
/// (e) grow ⌊g_l⌋ per layer (global_momentum_growth: every inactive |v| above one threshold searched for G);
/// (f) apply the masks (weights of inactive entries ← 0; optionally zero new weights' momentum); (g) adjusted_growth ← 0.25·a + 0.75·(B − N_new) + mean(adjustments), B = Σ n_l·d.
/// </summary>
public sealed class MaskUpdater
{
    private readonly MaskSet _masks;
    private readonly DynamicSparseOptions _options;
    private readonly IDropCriterion _drop;
    private readonly IGrowthCriterion _growth;
    private readonly IRedistribution _redistribution;
    private readonly Rng _rng;
    private readonly List<double> _adjustments = [];

    /// <summary>Creates the updater for <paramref name="masks"/>.</summary>
    /// <exception cref="ArgumentException">Unknown drop, growth or redistribution name.</exception>
    public MaskUpdater(MaskSet masks, DynamicSparseOptions options, Rng rng)
    {
        _masks = masks;
        _options = options;
        _rng = rng;
        _drop = DynamicSparseMethods.Drop(options.Drop);
        _growth = DynamicSparseMethods.Growth(options.Growth);
        _redistribution = DynamicSparseMethods.Redistribution(options.Redistribution);
        BaselineNonzero = masks.Targets.Sum(t => (double)t.Count) * options.Density;
    }

    /// <summary>Target active count B = Σ n_l·d (a float, as in the reference).</summary>
    public double BaselineNonzero { get; }

    /// <summary>The smoothed count error added to the next growth budget.</summary>
    public double AdjustedGrowth { get; private set; }

    /// <summary>Runs one update at global prune rate <paramref name="pruneRate"/>.</summary>
    /// <param name="optimizer">Source of momentum (SGD buffer; Adam m/(√v + 1e-8)); may be null.</param>
    /// <param name="pruneRate">Current p.</param>
    /// <param name="step">Completed steps (for the report).</param>
    /// <param name="epoch">0-based epoch (for the report).</param>
    public MaskUpdateReport Update(Optimizer? optimizer, double pruneRate, long step, int epoch)
    {
        var layers = _masks.Targets.Select(t => new LayerView(t, _masks[t.Name].Data.ToArray(), MomentumOf(optimizer, t), t.Weight.Grad?.Data.ToArray(), BaselineNonzero)).ToList();
        int count = layers.Count;
        var before = layers.Select(l => (float[])l.Mask.Clone()).ToArray();
        var shares = new double[count];
        if (!_redistribution.Layerwise)
        {
            var raw = layers.Select(_redistribution.Score).ToArray();
            double sum = raw.Where(r => !double.IsNaN(r)).Sum();
            for (int l = 0; l < count; l++)
            {
                shares[l] = raw[l] / sum;
            }
        }
        else
        {
            Array.Fill(shares, double.NaN);
        }

        var rates = new double[count];
        var removed = new int[count];
        var numRemove = new int[count];
        var capacity = new double[count];
        for (int l = 0; l < count; l++)
        {
            var layer = layers[l];
            double sparsity = (double)layer.Zeros / layer.Count;
            rates[l] = _options.ProtectDenseLayers && sparsity < 0.2 && shares[l] > 1.0 / count ? Math.Min(sparsity, pruneRate) : pruneRate;
            double exact = rates[l] * layer.Nonzeros;
            numRemove[l] = (int)(_options.CeilRemoveCount ? Math.Ceiling(exact) : Math.Floor(exact));
            capacity[l] = layer.Zeros + numRemove[l];
        }

        var dropSearch = count == 0 ? null : _drop.Prepare(layers, rates[^1], BaselineNonzero);
        for (int l = 0; l < count; l++)
        {
            removed[l] = _drop.Drop(layers[l], numRemove[l]);
        }

        int iterations = 0;
        double[] budget;
        if (_redistribution.Layerwise)
        {
            budget = removed.Select(r => (double)r).ToArray();
        }
        else
        {
            (budget, iterations) = GrowthBudget.Cap(shares, capacity, removed.Sum() + AdjustedGrowth);
        }

        if (_drop.Global && !_redistribution.Layerwise)
        {
            for (int l = 0; l < count; l++)
            {
                double expected = BaselineNonzero * rates[l];
                budget[l] = expected == 0 ? 0 : Math.Floor(removed.Sum() / expected * budget[l]);
            }
        }

        var growthSearch = _growth.Prepare(layers, removed.Sum() + AdjustedGrowth);

        var reports = new List<LayerUpdate>(count);
        for (int l = 0; l < count; l++)
        {
            var layer = layers[l];
            int requested = Math.Max(0, (int)Math.Floor(budget[l]));
            int grown = _growth.Grow(layer, requested, _rng, _options);
            requested = _growth.Global ? grown : requested;
            _masks.Set(layer.Target.Name, layer.Mask);
            if (_options.ResetNewMomentum && optimizer is IHasMomentum hasMomentum)
            {
                var fresh = new bool[layer.Count];
                for (int i = 0; i < fresh.Length; i++)
                {
                    fresh[i] = before[l][i] == 0f && layer.Mask[i] != 0f;
                }

                hasMomentum.ResetMomentum(layer.Target.Weight, fresh);
            }

            int after = layer.Mask.Count(v => v != 0f);
            reports.Add(new LayerUpdate(layer.Target.Name, layer.Count, layer.Nonzeros, removed[l], requested, grown, after, shares[l], rates[l]));
        }

        _masks.Apply();
        if (_options.AdjustGrowth)
        {
            double error = BaselineNonzero - reports.Sum(r => (double)r.ActiveAfter);
            _adjustments.Add(error);
            AdjustedGrowth = 0.25 * AdjustedGrowth + 0.75 * error + _adjustments.Average();
        }

        return new MaskUpdateReport(step, epoch, pruneRate, reports, iterations, AdjustedGrowth) { DropSearch = dropSearch, GrowthSearch = growthSearch };
    }

    private static float[]? MomentumOf(Optimizer? optimizer, MaskTarget t)
    {
        if (optimizer is Adam adam)
        {
            if (adam.GetExpAvg(t.Weight) is not { } m || adam.GetExpAvgSq(t.Weight) is not { } v)
            {
                return null;
            }

            var score = new float[m.Length];
            var md = m.Data;
            var vd = v.Data;
            for (int i = 0; i < score.Length; i++)
            {
                score[i] = md[i] / (MathF.Sqrt(vd[i]) + 1e-8f);
            }

            return score;
        }

        return optimizer is IHasMomentum h ? h.GetMomentumBuffer(t.Weight)?.Data.ToArray() : null;
    }
}
