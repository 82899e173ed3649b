namespace Winnow.Sparsity.Subnetworks;

/// <summary>How a score-masked layer turns its frozen random weight W and mask M into the weight it uses.</summary>
public enum SubnetMethod
{
    /// <summary>edge-popup (Ramanujan et al. 2020, https://arxiv.org/abs/1911.13299): W_eff = W ⊙ M (ALGORITHMS.md §4.6).</summary>
    EdgePopup,

    /// <summary>biprop / Multi-Prize Tickets (Diffenderfer &amp; Kailkhura 2021, https://arxiv.org/abs/2103.09377): W_eff = sign(W) ⊙ (α·M) (§3.3).</summary>
    Biprop,
}
