using System.Globalization;
using Winnow.NN;
using Winnow.Sparsity.ContinuousSparsification;
using Winnow.Sparsity.Masks;

namespace Winnow.Cli.Config;

/// <summary>
/// Turns the `winnow cs` settings into <see cref="CsOptions"/>: one per (s0, λ) pair of the sweep,
/// each error naming the option, the value and what was expected.
/// </summary>
public static class CsSetup
{
    /// <summary>The runs of the sweep, s0 outer, λ inner, in the order given.</summary>
    /// <exception cref="CliException">A setting is invalid.</exception>
    public static IReadOnlyList<CsOptions> Sweep(TrainConfig c)
    {
        var s0 = Numbers("--mask-init", c.MaskInit);
        var lambdas = Numbers("--lambda", c.Lambda);
        var clip = c.ClipMode.ToLowerInvariant() switch
        {
            "reference" or "referencecode" or "code" => ClipMode.ReferenceCode,
            "paper" => ClipMode.Paper,
            _ => throw new CliException($"--clip-mode '{c.ClipMode}' is invalid: use reference (the code's s ← min(s, s0), default) or paper (s ← min(β_T·s, s0)).{Winnow.Settings.NameSuggestions.DidYouMean(c.ClipMode, ["reference", "paper"])}"),
        };
        var mode = c.CsMode.ToLowerInvariant() switch
        {
            "ticket" => CsMode.TicketSearch,
            "prune" => CsMode.Pruning,
            _ => throw new CliException($"--cs-mode '{c.CsMode}' is invalid: use ticket (rewind and retrain) or prune (keep the trained weights).{Winnow.Settings.NameSuggestions.DidYouMean(c.CsMode, ["ticket", "prune"])}"),
        };
        var baseOptions = new CsOptions
        {
            FinalTemperature = c.FinalTemp,
            Rounds = c.Rounds,
            RewindEpoch = c.RewindEpoch,
            ClipMode = clip,
            MaskLr = c.MaskLr,
            MaskMomentum = c.MaskMomentum,
            ScaleHardMask = c.ScaleHardMask,
            Mode = mode,
            FinetuneEpochs = c.CsFinetuneEpochs,
            TargetDensity = c.TargetDensity,
        };
        var list = s0.SelectMany(s => lambdas.Select(l => baseOptions with { InitialValue = (float)s, Lambda = l })).ToList();
        foreach (var o in list)
        {
            try
            {
                o.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliException($"`winnow cs`: {e.Message.Split(" (Parameter")[0]} Check --final-temp, --rounds, --rewind-epoch, --mask-lr, --mask-momentum, --cs-finetune-epochs, --target-density, --lambda.");
            }
        }

        if (mode == CsMode.TicketSearch && c.RewindEpoch >= c.Epochs)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--rewind-epoch {c.RewindEpoch} must be below --epochs {c.Epochs} (the snapshot is taken before that epoch of round 0)."));
        }

        return list;
    }

    /// <summary>Which weights get a mask: all (every conv and linear) or conv (the reference).</summary>
    /// <exception cref="CliException">Unknown value.</exception>
    public static Func<MaskableSelection, Module, MaskableSelection> Layers(TrainConfig c) => c.MaskLayers.ToLowerInvariant() switch
    {
        "all" => (s, _) => s,
        "conv" => (s, model) => s with { Only = MaskableSelection.Candidates(model).Where(t => t.IsConv).Select(t => t.Name).ToArray() },
        _ => throw new CliException($"--mask-layers '{c.MaskLayers}' is invalid: use all (every conv and linear weight) or conv (convolutions only, as the reference).{Winnow.Settings.NameSuggestions.DidYouMean(c.MaskLayers, ["all", "conv"])}"),
    };

    private static double[] Numbers(string option, string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new CliException($"{option} '{text}': '{parts[i]}' is not a number; give one value or a comma-separated list, e.g. -0.1,-0.05,0.");
            }
        }

        return values.Length > 0 ? values : throw new CliException($"{option} is empty; give one value or a comma-separated list.");
    }
}
