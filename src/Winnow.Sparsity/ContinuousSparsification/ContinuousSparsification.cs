using System.Diagnostics;
using Winnow.NN;
using Winnow.NN.Optim;
using Winnow.NN.Training;
using Winnow.Sparsity.LotteryTicket;

namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>
/// Continuous Sparsification (Savarese, Silva &amp; Maire 2020, https://arxiv.org/abs/1912.04427;
/// ALGORITHMS.md §1): learn a soft mask m = c·σ(β·s) jointly with the weights, anneal β, penalise λ·Σm.
/// <code>
/// for round r = 0…R−1:  E epochs; epoch e uses β_e = β_T^(e/(E−1)) and the round's LR schedule;
///                       loss = CE + λ·Σm; weight optimizer (trainer) and mask optimizer (hook) step
///                       round 0: snapshot θ before epoch k;  then β ← 1; if r &lt; R−1: clip s
/// ticket:  m = c·1[s &gt; 0] (or the top-k logits with TargetDensity)
/// TicketSearch: θ ← θ_k, retrain E epochs with a fresh weight optimizer;  Pruning: keep θ, optional fine-tune
/// </code>
/// The Trainer owns the weight optimizer; the logits (not module parameters) have their own SGD,
/// stepped by <see cref="CsSearchHook"/> after the weight step, so the loop is never forked.
/// Raises events and returns records; never prints.
/// </summary>
public sealed class ContinuousSparsification
{
    private readonly Module _model;
    private readonly LotteryTraining _training;

    /// <summary>Attaches soft masks with logits s0 to the selected weights of <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or the rewind epoch is not before the end of a round.</exception>
    /// <exception cref="ArgumentException">The mask selection names unknown tensors or selects nothing.</exception>
    public ContinuousSparsification(Module model, LotteryTraining training, CsOptions options)
    {
        options.Validate();
        if (options.Mode == CsMode.TicketSearch && options.RewindEpoch >= training.Options.Epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RewindEpoch, $"The rewind epoch {options.RewindEpoch} must be below the epochs per round ({training.Options.Epochs}).");
        }

        _model = model;
        _training = training;
        Options = options;
        Masks = new SoftMaskSet(model, options.Selection, options.InitialValue, options.ScaleHardMask);
    }

    public CsOptions Options { get; }

    /// <summary>The soft masks (hard after the search).</summary>
    public SoftMaskSet Masks { get; }

    /// <summary>The rewind snapshot of round 0 (ticket search), once taken: every weight and buffer, no logits.</summary>
    public ModelSnapshot? RewindSnapshot { get; private set; }

    /// <summary>A round starts (argument: round; <see cref="CsOptions.Rounds"/> = ticket retraining / fine-tuning).</summary>
    public event Action<int>? PhaseStarting;

    /// <summary>After every training step.</summary>
    public event Action<StepProgress>? StepCompleted;

    /// <summary>After every epoch (round index as in <see cref="PhaseStarting"/>).</summary>
    public event Action<int, EpochMetrics>? EpochCompleted;

    /// <summary>A search round finished (β already reset, logits not yet clipped).</summary>
    public event Action<RoundResult>? RoundCompleted;

    /// <summary>Runs the search rounds and the ticket phase.</summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between steps.</exception>
    public CsResult Run(CancellationToken cancellation = default)
    {
        int epochs = _training.Options.Epochs;
        Optimizer? weights = null, masks = null;
        var rounds = new List<RoundResult>();
        for (int r = 0; r < Options.Rounds; r++)
        {
            if (weights is null || !Options.ReuseOptimizersAcrossRounds)
            {
                weights = _training.CreateOptimizer(_model);
                masks = NewMaskOptimizer();
            }

            var sw = Stopwatch.StartNew();
            var hook = new CsSearchHook(Masks, masks!, _training.Options.Schedule, Options.FinalTemperature, r == 0 && Options.Mode == CsMode.TicketSearch ? Options.RewindEpoch : null);
            var history = Fit(r, weights, hook, _training.Options, r * epochs, cancellation);
            RewindSnapshot ??= hook.Snapshot;
            double soft = history.Count > 0 ? history[^1].TestAccuracy ?? double.NaN : double.NaN;
            float beta = Masks.Beta;
            Masks.Beta = 1f;
            var round = new RoundResult(r, beta, Masks.Kept, Masks.Total, soft, EvaluateHard(cancellation), history, sw.Elapsed.TotalSeconds);
            rounds.Add(round);
            RoundCompleted?.Invoke(round);
            if (r < Options.Rounds - 1)
            {
                Masks.Clip(Options.ClipMode, Options.FinalTemperature);
            }
        }

        Masks.Hard = true;
        if (Options.TargetDensity is { } d)
        {
            Masks.KeepTopK(d);
        }

        int ticketEpochs = Options.Mode == CsMode.TicketSearch ? epochs : Options.FinetuneEpochs;
        IReadOnlyList<EpochMetrics> ticket = [];
        if (ticketEpochs > 0)
        {
            if (Options.Mode == CsMode.TicketSearch)
            {
                RewindSnapshot!.Restore(_model);
            }

            var options = _training.Options with { Epochs = ticketEpochs };
            ticket = Fit(Options.Rounds, _training.CreateOptimizer(_model), null, options, Options.Rounds * epochs, cancellation);
        }

        double final = ticket.Count > 0 ? ticket[^1].TestAccuracy ?? double.NaN : Evaluate(cancellation);
        return new CsResult(rounds, Masks.Kept, Masks.Total, ticket, final, (Options.Rounds * epochs) + ticketEpochs, Options);
    }

    private IReadOnlyList<EpochMetrics> Fit(int phase, Optimizer optimizer, CsSearchHook? hook, TrainerOptions options, int dataEpochOffset, CancellationToken cancellation)
    {
        var trainer = new Trainer(_model, optimizer, options);
        if (hook is not null)
        {
            trainer.Hooks.Add(hook);
        }

        if (hook is not null || Options.PenaltyInTicketTraining)
        {
            trainer.LossTerms.Add(new MaskPenalty(Masks, Options.Lambda, Options.PenaltyInTicketTraining));
        }

        trainer.StepCompleted += p => StepCompleted?.Invoke(p);
        trainer.EpochCompleted += m => EpochCompleted?.Invoke(phase, m);
        PhaseStarting?.Invoke(phase);

        // The reference's loader keeps shuffling across rounds, so each round sees new orders.
        return trainer.Fit(e => _training.TrainEpoch(dataEpochOffset + e), _training.StepsPerEpoch, _training.EvalBatches, 0, cancellation);
    }

    private Sgd NewMaskOptimizer()
        => new([new ParamGroup(Masks.Logits, "mask_logits")], Options.MaskLr, Options.MaskMomentum, nesterov: Options.MaskNesterov && Options.MaskMomentum > 0, weightDecay: 0);

    private double EvaluateHard(CancellationToken cancellation)
    {
        Masks.Hard = true;
        double acc = Evaluate(cancellation);
        Masks.Hard = false;
        return acc;
    }

    private double Evaluate(CancellationToken cancellation)
        => _training.EvalBatches is { } eval ? Evaluator.Evaluate(_model, eval(), cancellation).Accuracy : double.NaN;
}
