namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>What Continuous Sparsification does after the search rounds.</summary>
public enum CsMode
{
    /// <summary>Ticket search: rewind the weights to the snapshot of round 0 and retrain the hard-masked ticket with a fresh optimizer.</summary>
    TicketSearch,

    /// <summary>Pruning: keep the trained weights, apply the hard mask and optionally fine-tune with a fresh optimizer.</summary>
    Pruning,
}
