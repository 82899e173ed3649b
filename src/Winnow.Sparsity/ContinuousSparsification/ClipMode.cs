namespace Winnow.Sparsity.ContinuousSparsification;

/// <summary>
/// The between-round logit update of Continuous Sparsification (ALGORITHMS.md §1.7, quirk §1.14.2).
/// </summary>
public enum ClipMode
{
    /// <summary>
    /// What the reference code executes: it resets β to 1 before the clip, so the update is
    /// <c>s ← min(s, s0)</c> (only the upward clip; negative logits keep their raw value). Default.
    /// </summary>
    ReferenceCode,

    /// <summary>The paper's formula <c>s ← min(β_T·s, s0)</c>: fold the final temperature in, then clip at s0.</summary>
    Paper,
}
