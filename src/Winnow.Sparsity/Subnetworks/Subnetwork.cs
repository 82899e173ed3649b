using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Optim;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// A subnetwork search on a random network (edge-popup, ALGORITHMS.md §4.6; biprop / Multi-Prize
/// Tickets, §3): <see cref="Attach"/> re-initialises every conv/linear weight with the chosen frozen
/// random init, freezes all model parameters, and hangs a <see cref="SubnetMask"/> (trainable scores)
/// on every conv/linear layer (first and classifier included unless asked otherwise, §3.8). What is
/// trained follows the reference's freezing routine (§3.8): the scores only (default); scores + BN γ/β
/// (<see cref="SubnetOptions.LearnBatchNorm"/>); scores + BN β (<see cref="SubnetOptions.BatchNormBiasOnly"/>);
/// with <see cref="SubnetOptions.TuneBatchNorm"/> the scores are frozen and only the BN γ/β (or β) are.
/// Training uses the ordinary <c>Trainer</c> plus <see cref="Hook"/>.
/// <code>
/// var subnet = Subnetwork.Attach(model, new SubnetOptions { Method = SubnetMethod.Biprop, KeepFraction = 0.5 });
/// var trainer = new Trainer(model, subnet.CreateSgd(0.1, 0.9, 1e-4), options);
/// trainer.Hooks.Add(subnet.Hook);
/// </code>
/// </summary>
public sealed class Subnetwork
{
    private Subnetwork(Module model, SubnetOptions options, IReadOnlyList<SubnetMask> masks, IReadOnlyList<Parameter> batchNorm)
    {
        Model = model;
        Options = options;
        Masks = masks;
        BatchNormParameters = batchNorm;
        if (options.Global)
        {
            Global = new GlobalThreshold(masks, options.KeepFraction);
            foreach (var m in masks)
            {
                m.GlobalThreshold = Global;
            }

            Global.Update();
        }

        Hook = new SubnetHook(this);
    }

    public Module Model { get; }

    public SubnetOptions Options { get; }

    /// <summary>The score-masked layers, in registration order.</summary>
    public IReadOnlyList<SubnetMask> Masks { get; }

    /// <summary>The shared threshold of the global variant, or null (layer-wise).</summary>
    public GlobalThreshold? Global { get; }

    /// <summary>Affine BN parameters trained: γ and β (<see cref="SubnetOptions.LearnBatchNorm"/>,
    /// <see cref="SubnetOptions.TuneBatchNorm"/>), β only (<see cref="SubnetOptions.BatchNormBiasOnly"/>), or none.</summary>
    public IReadOnlyList<Parameter> BatchNormParameters { get; }

    /// <summary>Everything the optimizer updates: the scores (unless <see cref="SubnetOptions.TuneBatchNorm"/> froze them), then any learned BN parameters.</summary>
    public IEnumerable<Parameter> TrainableParameters => (Options.TuneBatchNorm ? [] : Masks.Select(m => m.Scores)).Concat(BatchNormParameters);

    /// <summary>Add to the trainer's hooks (global threshold, keep-fraction ramp, "not learning" abort).</summary>
    public SubnetHook Hook { get; }

    /// <summary>Weights in the masked layers.</summary>
    public long TotalWeights => Masks.Sum(m => (long)m.Weight.Length);

    /// <summary>Kept weights after the last mask refresh.</summary>
    public long KeptWeights => Masks.Sum(m => (long)m.Kept);

    /// <summary>Turns <paramref name="model"/> (tensors named) into a subnetwork search.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The model has no conv/linear layer left to mask;
    /// LearnBatchNorm and BatchNormBiasOnly are both set; or a batch-norm option is set but the model
    /// has no affine batch norm.</exception>
    public static Subnetwork Attach(Module model, SubnetOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var rng = new Rng(options.Seed);
        foreach (var p in model.Parameters())
        {
            p.RequiresGrad = false;
        }

        var selected = new MaskableSelection { IncludeFirst = !options.FirstLayerDense, IncludeLast = !options.LastLayerDense }.Resolve(model).ToHashSet();
        var masks = new List<SubnetMask>();
        foreach (var t in MaskableSelection.Candidates(model))
        {
            SubnetInit.Apply(t.Weight, options.Init, options.ScaleFan, options.KeepFraction, rng);
            if (selected.Contains(t))
            {
                var mask = new SubnetMask(t.Weight, options.Method, options.KeepFraction, rng, options.AlphaDenominator);
                t.Transform = mask;
                masks.Add(mask);
            }
        }

        var bn = new List<Parameter>();
        if (options.TrainsBatchNorm)
        {
            foreach (var (_, m) in model.NamedModules())
            {
                if (m is BatchNorm { Weight: { } g, Bias: { } b })
                {
                    if (!options.BatchNormBiasOnly)
                    {
                        g.RequiresGrad = true;
                        bn.Add(g);
                    }

                    b.RequiresGrad = true;
                    bn.Add(b);
                }
            }

            if (bn.Count == 0)
            {
                throw new ArgumentException($"{TrainedBatchNormOption(options)} trains batch-norm parameters, but the model has no affine batch norm layer (none, or built non-affine); build it with affine BN (ModelSpec.AffineBatchNorm) or leave the option off.", nameof(model));
            }
        }

        if (options.TuneBatchNorm)
        {
            // The scores keep the subnetwork they select; only the BN parameters above are trained.
            foreach (var m in masks)
            {
                m.Scores.RequiresGrad = false;
            }
        }

        return new Subnetwork(model, options, masks, bn);
    }

    private static string TrainedBatchNormOption(SubnetOptions o) =>
        o.TuneBatchNorm ? nameof(SubnetOptions.TuneBatchNorm) : o.BatchNormBiasOnly ? nameof(SubnetOptions.BatchNormBiasOnly) : nameof(SubnetOptions.LearnBatchNorm);

    /// <summary>
    /// SGD as the reference builds it (§3.9): two groups — parameters whose NAME contains "bn" (weight
    /// decay 0 with <paramref name="noBnDecay"/>, else <paramref name="weightDecay"/>) and the rest,
    /// scores included (weight decay applies to the scores).
    /// </summary>
    public Optimizer CreateSgd(double lr, double momentum, double weightDecay, bool nesterov = false, bool noBnDecay = false)
    {
        var all = TrainableParameters.ToList();
        var bn = all.Where(p => (p.Name ?? "").Contains("bn", StringComparison.Ordinal)).ToList();
        var rest = all.Except(bn).ToList();
        var groups = new List<ParamGroup> { new(rest, "rest") { WeightDecay = weightDecay } };
        if (bn.Count > 0)
        {
            groups.Insert(0, new ParamGroup(bn, "bn") { WeightDecay = noBnDecay ? 0 : weightDecay });
        }

        return new Sgd(groups, lr, momentum, nesterov: nesterov, weightDecay: weightDecay);
    }

    /// <summary>Adam as the reference builds it: default betas/eps, no weight decay (the config's value is ignored).</summary>
    public Optimizer CreateAdam(double lr) => new Adam(TrainableParameters, lr);

    /// <summary>Recomputes every layer's mask and α from the current scores (also done by each forward pass).</summary>
    public void Refresh()
    {
        if (Global is not null)
        {
            Global.Update();
            return;
        }

        foreach (var m in Masks)
        {
            m.Refresh();
        }
    }
}
