namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// How iterative magnitude pruning retrains after each pruning step. All three train for the same
/// budget (from the rewind point to the end of the schedule) with a fresh optimizer.
/// </summary>
public enum RetrainMode
{
    /// <summary>
    /// Weight rewinding (Frankle &amp; Carbin 2019; Frankle et al. 2020 "late rewinding"): every weight
    /// and buffer goes back to its value at the rewind point, and the LR schedule and data order
    /// resume from there. The lottery ticket procedure; open_lth's behaviour.
    /// </summary>
    WeightRewinding,

    /// <summary>
    /// Learning-rate rewinding (Renda, Frankle &amp; Carbin 2020): keep the trained weights, rewind only
    /// the LR schedule (and data order) to the rewind point.
    /// </summary>
    LearningRateRewinding,

    /// <summary>Fine-tuning (Han et al. 2015; Renda et al. 2020's baseline): keep the trained weights and continue at the schedule's final learning rate.</summary>
    FineTuning,
}
