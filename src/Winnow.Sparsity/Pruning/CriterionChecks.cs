using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Pruning;

/// <summary>Argument checks shared by the criteria.</summary>
internal static class CriterionChecks
{
    /// <exception cref="ArgumentException">The score span does not have one entry per weight.</exception>
    public static void Length(string criterion, MaskTarget target, ReadOnlySpan<float> scores)
    {
        if (scores.Length != target.Count)
        {
            throw new ArgumentException(
                $"Criterion '{criterion}': {target.Name} has {target.Count} weights (shape {Tensor.ShapeString(target.Weight.Shape)}) but the score buffer has {scores.Length} entries.", nameof(scores));
        }
    }
}
