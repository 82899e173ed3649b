using System.Globalization;
using Winnow.Cli.Output;
using Winnow.NN.Serialization;
using Winnow.NN.Training;
using Winnow.Sparsity;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.LotteryTicket;
using Winnow.Sparsity.Masks;
using Winnow.Sparsity.Pruning;

namespace Winnow.Cli.Config;

/// <summary>
/// The checked settings of a `winnow prune` run (when, how much, what, where, from which
/// checkpoints) and the two steps that use the library: choosing the masked tensors and pruning
/// (or scheduling the gradual pruning hook). Every error names the option and the value.
/// </summary>
public sealed record PrunePlan(PruneWhen When, double Density, string Criterion, IDensityDistribution Distribution, CheckpointData? Source, CheckpointData? MaskFile)
{
    /// <summary>Checks the sparsity settings of <paramref name="config"/> (given flags in <paramref name="given"/>, --sparsity text if any) and loads the input checkpoints.</summary>
    /// <exception cref="CliException">A setting is invalid or inconsistent, or a checkpoint is missing.</exception>
    public static PrunePlan Resolve(TrainConfig config, ISet<string> given, string? sparsity)
    {
        if (sparsity is not null)
        {
            if (given.Contains("density"))
            {
                throw new CliException("Give --density or --sparsity, not both (density = 1 − sparsity).");
            }

            config.Density = SparsitySetup.DensityFromSparsity(double.TryParse(sparsity, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s
                : throw new CliException($"--sparsity expects a number in [0, 1), got '{sparsity}'."));
        }

        var when = SparsitySetup.When(config);
        config.When = when.ToString().ToLowerInvariant();
        double density = SparsitySetup.Density(config);
        string criterion = SparsitySetup.Criterion(config);
        var distribution = SparsitySetup.Distribution(config);
        var source = Source_(config, when, given);
        var maskFile = config.Masks is null ? null : CheckpointInputs.Load("--masks", config.Masks);
        if (when == PruneWhen.Gradual && (criterion != "magnitude" || maskFile is not null))
        {
            throw new CliException(maskFile is null
                ? $"--when gradual prunes by magnitude (Zhu & Gupta 2017); --criterion {criterion} is not supported there. Use --when init for {criterion}."
                : "--when gradual computes its own masks; --masks is for --when init or trained.");
        }

        return new PrunePlan(when, density, criterion, distribution, source, maskFile);
    }

    /// <summary>
    /// The masks to prune or train with: those of --masks, else those already in the --from
    /// checkpoint (pruning continues inside them), else dense masks over the selected tensors.
    /// </summary>
    /// <exception cref="CliException">The masks do not fit, or selection flags conflict with existing masks.</exception>
    public MaskSet Masks(TrainConfig config, Experiment e, ISet<string> given)
    {
        if (MaskFile is not null)
        {
            return CheckpointInputs.Masks(MaskFile, e.Model, config.Model, "--masks");
        }

        if (Source is not null && MaskCheckpoint.TryLoad(e.Model, Source) is { } existing)
        {
            return given.Overlaps(["densefirst", "denselast", "exclude"])
                ? throw new CliException($"--from '{Source.Path}' already has masks ({string.Join(", ", existing.Targets.Select(t => t.Name))}); pruning continues within them, so --dense-first, --dense-last and --exclude cannot change the selection.")
                : existing;
        }

        return SparsitySetup.Masks(config, e.Model);
    }

    /// <summary>Prunes <paramref name="masks"/> now (one-shot) or returns the hook that prunes during training; and a one-line description.</summary>
    /// <exception cref="CliException">The gradual schedule is invalid.</exception>
    public (ITrainingHook Hook, string How) Apply(TrainConfig config, Experiment e, MaskSet masks)
    {
        if (MaskFile is not null)
        {
            masks.Apply();
            return (new HardMaskHook(masks), $"masks of {MaskFile.Path}");
        }

        if (When == PruneWhen.Gradual)
        {
            int steps = e.TrainLoader.BatchesPerEpoch;
            long total = (long)config.Epochs * steps;
            long begin = SparsitySetup.Point("--prune-begin", config.PruneBegin).ToStep(steps, total);
            long end = SparsitySetup.Point("--prune-end", config.PruneEnd).ToStep(steps, total);
            try
            {
                var gmp = new GradualMagnitudePruning(masks, 0, 1 - Density, begin, end, config.PruneFrequency, Distribution) { PruneAtEnd = true };
                return (gmp, Format.Invariant($"gradual magnitude pruning to {Density * 100:F2}% between steps {begin} and {end} of {total}, every {config.PruneFrequency}, {Distribution.Name}"));
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new CliException($"--prune-begin {config.PruneBegin} (step {begin}) / --prune-end {config.PruneEnd} (step {end}) / --prune-frequency {config.PruneFrequency}: {ex.Message.Split(" (Parameter")[0]}");
            }
        }

        var scorer = Criterion switch
        {
            "snip" => SparsityMethods.Criterion("snip", model: e.Model, batch: e.ScoringBatch()),
            "random" => SparsityMethods.Criterion("random", rng: new Rng(config.Seed ^ 0x5EED_0F_5EEDUL)),
            _ => SparsityMethods.Criterion(Criterion),
        };
        bool respectExisting = Source is not null && masks.Density < 1;
        Pruner.Prune(masks, scorer, Distribution, Density, respectExisting);
        return (new HardMaskHook(masks), Format.Invariant($"{Criterion} scores, {Distribution.Name} distribution, target density {Density * 100:F2}%{(respectExisting ? " (within the existing masks)" : "")}"));
    }

    private static CheckpointData? Source_(TrainConfig config, PruneWhen when, ISet<string> given)
    {
        if (when != PruneWhen.Trained)
        {
            if (config.From is not null)
            {
                throw new CliException($"--from is only used with --when trained (one-shot pruning of a trained run); --when {config.When} starts from a fresh initialisation.");
            }

            if (config.FinetuneEpochs != 0)
            {
                throw new CliException($"--finetune-epochs applies to --when trained; with --when {config.When} the training length is --epochs.");
            }

            return null;
        }

        if (config.From is null)
        {
            throw new CliException("--when trained needs --from RUN_DIR|CHECKPOINT: the trained run to prune (e.g. one written by `winnow train`).");
        }

        var source = CheckpointInputs.Load("--from", config.From);
        if (given.Contains("epochs") || config.FinetuneEpochs < 0)
        {
            throw new CliException(given.Contains("epochs")
                ? "With --when trained the training after pruning is fine-tuning: give its length with --finetune-epochs N, not --epochs."
                : string.Create(CultureInfo.InvariantCulture, $"--finetune-epochs {config.FinetuneEpochs} is invalid: expected ≥ 0 (0 = evaluate the pruned network without fine-tuning)."));
        }

        CheckpointInputs.Adopt(config, source, given, "--from");
        config.Epochs = Math.Max(1, config.FinetuneEpochs);
        return source;
    }
}
