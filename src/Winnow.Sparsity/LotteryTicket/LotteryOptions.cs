using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// Settings of iterative magnitude pruning with rewinding (Frankle &amp; Carbin 2019,
/// https://arxiv.org/abs/1803.03635; open_lth semantics, ALGORITHMS.md §4.2). Defaults are open_lth's:
/// 20% of the remaining weights pruned per level with one global magnitude threshold, rewind to
/// iteration 0, weight rewinding, the output layer of plain feed-forward networks left unpruned.
/// </summary>
public sealed record LotteryOptions
{
    /// <summary>Pruning levels L after the dense level 0 (levels 0…L are trained). open_lth has no default; 8 levels at f = 0.2 leave 16.8%.</summary>
    public int Levels { get; init; } = 8;

    /// <summary>Fraction f of the REMAINING prunable weights removed per level, in [0, 1). open_lth default 0.2.</summary>
    public double PruneFraction { get; init; } = 0.2;

    /// <summary>Where weights (and, in every mode, the LR schedule and data order) rewind to: iteration 0 (original LTH) or k iterations/epochs (late rewinding).</summary>
    public TrainingPoint Rewind { get; init; } = TrainingPoint.Start;

    /// <summary>Weight rewinding (default), learning-rate rewinding or fine-tuning.</summary>
    public RetrainMode Mode { get; init; } = RetrainMode.WeightRewinding;

    /// <summary>
    /// Leave the output layer (the last conv/linear weight) out of the pruning pool while it keeps
    /// its all-ones mask and still counts in the remaining total, as open_lth's
    /// <c>pruning_layers_to_ignore</c> does. Null = open_lth's default for the architecture
    /// (<see cref="IgnoresOutputLayerByDefault"/>): true for plain feed-forward networks (LeNet, VGG,
    /// Conv-N), false for residual networks (ResNet, WRN), which prune their classifier too.
    /// </summary>
    public bool? IgnoreOutputLayer { get; init; }

    /// <summary>Which conv/linear weights get masks (default all; biases and BN are never masked).</summary>
    public MaskableSelection Selection { get; init; } = MaskableSelection.All;

    /// <summary>
    /// Also train the random-reinitialisation control at every pruned level: the same masks on
    /// freshly initialised weights (seed <see cref="ControlSeed"/>), trained over the same window.
    /// </summary>
    public bool RandomReinitControl { get; init; }

    /// <summary>Seed of the control's fresh initialisation (must differ from the run's seed to be a control).</summary>
    public ulong ControlSeed { get; init; } = 1;

    /// <summary>open_lth's default for "ignore the output layer": plain feed-forward networks yes, residual networks no.</summary>
    public static bool IgnoresOutputLayerByDefault(Module model)
        => !model.NamedModules().Any(m => m.Value is BasicBlock or WideBasicBlock);

    /// <summary>Checks the settings, naming the bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Levels negative or the fraction outside [0, 1).</exception>
    public void Validate()
    {
        if (Levels < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Levels), Levels, "The number of pruning levels must be ≥ 0 (0 trains only the dense network).");
        }

        if (!(PruneFraction >= 0 && PruneFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(PruneFraction), PruneFraction, "The prune fraction per level must be in [0, 1): the fraction of the remaining weights removed at each level, e.g. 0.2.");
        }
    }
}
