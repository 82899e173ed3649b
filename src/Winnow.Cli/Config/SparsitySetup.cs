using System.Globalization;
using Winnow.NN;
using Winnow.Sparsity;
using Winnow.Sparsity.Distributions;
using Winnow.Sparsity.LotteryTicket;
using Winnow.Sparsity.Masks;

namespace Winnow.Cli.Config;

/// <summary>
/// Checks the sparsity settings of a config and turns them into library objects, each error naming
/// the option, the value and what was expected (the sparsity counterpart of <see cref="Experiment"/>).
/// </summary>
public static class SparsitySetup
{
    private static readonly string[] WhenNames = ["trained", "init", "gradual"];
    private static readonly string[] ModeNames = ["rewind", "lr-rewind", "finetune"];

    /// <summary>--when, resolved: trained with --from, else init.</summary>
    /// <exception cref="CliException">Unknown value.</exception>
    public static PruneWhen When(TrainConfig c) => (c.When ?? (c.From is null ? "init" : "trained")).ToLowerInvariant() switch
    {
        "trained" => PruneWhen.Trained,
        "init" => PruneWhen.Init,
        "gradual" => PruneWhen.Gradual,
        _ => throw Unknown("--when", c.When!, WhenNames, "trained (one-shot on --from), init (at initialisation) or gradual (during training)"),
    };

    /// <summary>The kept fraction d in (0, 1].</summary>
    /// <exception cref="CliException">Outside (0, 1].</exception>
    public static double Density(TrainConfig c) => c.Density > 0 && c.Density <= 1
        ? c.Density
        : throw Invalid("--density", c.Density, "a kept fraction in (0, 1], e.g. 0.05 keeps 5% of the weights (or give --sparsity 0.95)");

    /// <summary>Checks a --sparsity value and returns the density 1 − s.</summary>
    /// <exception cref="CliException">Outside [0, 1).</exception>
    public static double DensityFromSparsity(double sparsity) => sparsity >= 0 && sparsity < 1
        ? 1 - sparsity
        : throw Invalid("--sparsity", sparsity, "a pruned fraction in [0, 1), e.g. 0.95 keeps 5% of the weights (density = 1 − sparsity)");

    /// <summary>The registered criterion name (lower case).</summary>
    /// <exception cref="CliException">Unknown name (nearest suggested).</exception>
    public static string Criterion(TrainConfig c) => SparsityMethods.CriterionNames.Contains(c.Criterion.ToLowerInvariant())
        ? c.Criterion.ToLowerInvariant()
        : throw Unknown("--criterion", c.Criterion, SparsityMethods.CriterionNames, string.Join(", ", SparsityMethods.CriterionNames));

    /// <summary>The per-layer distribution.</summary>
    /// <exception cref="CliException">Unknown name (nearest suggested).</exception>
    public static IDensityDistribution Distribution(TrainConfig c) => SparsityMethods.DistributionNames.Contains(c.Distribution.ToLowerInvariant())
        ? SparsityMethods.Distribution(c.Distribution)
        : throw Unknown("--distribution", c.Distribution, SparsityMethods.DistributionNames, string.Join(", ", SparsityMethods.DistributionNames));

    /// <summary>The masked weights of <paramref name="model"/> per --dense-first, --dense-last and --exclude.</summary>
    /// <exception cref="CliException">A name is not a conv/linear weight, or nothing is left to mask.</exception>
    public static MaskSet Masks(TrainConfig c, Module model)
    {
        var selection = new MaskableSelection
        {
            IncludeFirst = !c.DenseFirst,
            IncludeLast = !(c.Verb == ConfigVerbs.Prune && c.DenseLast),
            Exclude = c.Exclude.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        try
        {
            return new MaskSet(model, selection);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--exclude/--dense-first/--dense-last: {Cli.UserMessage(e)}");
        }
    }

    /// <summary>The IMP settings of a `winnow lottery` config.</summary>
    /// <exception cref="CliException">A setting is out of range or malformed.</exception>
    public static LotteryOptions Lottery(TrainConfig c)
    {
        if (c.Levels < 0)
        {
            throw Invalid("--levels", c.Levels, "≥ 0 pruning levels after the dense level 0 (e.g. 8: 0.8^8 = 16.8% density)");
        }

        if (!(c.PruneFraction >= 0 && c.PruneFraction < 1))
        {
            throw Invalid("--prune-fraction", c.PruneFraction, "a fraction of the remaining weights in [0, 1), e.g. 0.2 (open_lth's default)");
        }

        var mode = c.Mode.ToLowerInvariant() switch
        {
            "rewind" => RetrainMode.WeightRewinding,
            "lr-rewind" => RetrainMode.LearningRateRewinding,
            "finetune" => RetrainMode.FineTuning,
            _ => throw Unknown("--mode", c.Mode, ModeNames, "rewind (weights and LR to the rewind point), lr-rewind (LR only) or finetune (final LR)"),
        };
        bool? ignore = c.IgnoreLastLayer.ToLowerInvariant() switch
        {
            "auto" => null,
            "true" => true,
            "false" => false,
            _ => throw Unknown("--ignore-last-layer", c.IgnoreLastLayer, ["auto", "true", "false"], "auto, true or false"),
        };
        return new LotteryOptions
        {
            Levels = c.Levels,
            PruneFraction = c.PruneFraction,
            Rewind = Point("--rewind", c.Rewind),
            Mode = mode,
            IgnoreOutputLayer = ignore,
            Selection = new MaskableSelection { IncludeFirst = !c.DenseFirst, Exclude = c.Exclude.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
            RandomReinitControl = c.RandomReinit,
            ControlSeed = ControlSeed(c),
        };
    }

    /// <summary>The random-reinitialisation control's seed: a different one from the run's.</summary>
    public static ulong ControlSeed(TrainConfig c) => c.Seed + 1_000_003;

    /// <summary>Parses a training point option (Nit, Nep, N%).</summary>
    /// <exception cref="CliException">Malformed.</exception>
    public static TrainingPoint Point(string option, string text)
    {
        try
        {
            return TrainingPoint.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliException($"{option} {Cli.UserMessage(e)}");
        }
    }

    private static CliException Invalid(string option, object value, string expected)
        => new(string.Create(CultureInfo.InvariantCulture, $"{option} {value} is invalid: expected {expected}."));

    private static CliException Unknown(string option, string value, IReadOnlyList<string> names, string expected)
        => new($"Unknown {option} '{value}'.{Winnow.Settings.NameSuggestions.DidYouMean(value, names)} Expected {expected}.");
}
