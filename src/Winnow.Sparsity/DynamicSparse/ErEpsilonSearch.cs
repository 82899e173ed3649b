using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.DynamicSparse;

/// <summary>
/// Sparse Momentum's "linear" mask initialisation (SET-style Erdős–Rényi, sparse_learning's
/// <c>init(mode='linear')</c>, ALGORITHMS.md §2.3), Winnow's init "er-search": layer l keeps each entry with
/// probability p_l = ε·(Σ of its weight's dimensions)/n_l (a Bernoulli draw; p_l ≥ 1 keeps the whole layer),
/// with ε found by the reference's multiplicative search so that Σ_l ε·Σdims_l ≈ d·Σ_l n_l within 5
/// parameters: ε starts at 10 and the step factor f at 0.5; each pass computes c = ε·Σ_l Σdims_l, then
/// ε ← ε·(1 − f) if c exceeds the target, else ε ← ε·(1 + f), and f ← 0.95·f; the loop ends after the first
/// pass whose c was within the tolerance. Quirk kept: that last pass still moves ε once, so the ε used is one
/// step past the one that met the tolerance — a relative change of f: for LeNet-300-100 at 5% the search
/// stops after 64 passes with ε = 8.186 instead of 8.351 (13,048 expected weights, 2% under the 13,310
/// target); for a lone 10×10 layer at density 0.5 after 3 passes, ε 10 → 5 → 2.625 → 1.44 (45% under).
/// Differences from Winnow's "er" (<see cref="Distributions.ErdosRenyiDistribution"/>-style exact solve): no
/// capping of layers that would exceed density 1 (their excess is simply lost) and Bernoulli counts.
/// </summary>
public static class ErEpsilonSearch
{
    /// <summary>Tolerance in parameters (reference 5).</summary>
    public const double ToleranceParams = 5;

    /// <summary>Winnow's cap on search passes (the reference has none; it converges within a few hundred).</summary>
    public const int MaxIterations = 10_000;

    /// <summary>The ε used and the passes made for <paramref name="targets"/> at <paramref name="density"/>.</summary>
    /// <exception cref="ArgumentException">No ε in the search's reach gives the target (it would loop for ever in the reference).</exception>
    public static (double Epsilon, int Iterations) Solve(IReadOnlyList<MaskTarget> targets, double density) => Solve(targets, density, MaxIterations);

    internal static (double Epsilon, int Iterations) Solve(IReadOnlyList<MaskTarget> targets, double density, int maxIterations)
    {
        double target = targets.Sum(t => (double)t.Count) * density;
        double dims = targets.Sum(DimensionSum);
        double epsilon = 10.0, factor = 0.5, current = 0;
        int iterations = 0;
        while (!(current + ToleranceParams > target && current - ToleranceParams < target))
        {
            if (iterations == maxIterations)
            {
                throw new ArgumentException($"Init 'er-search': the ε search (sparse_learning's 'linear' init) did not reach {target:F0} kept weights within ±{ToleranceParams} after {maxIterations} passes (last ε·Σdims = {current:F1}); this density is out of its reach for these layers. Use init 'er' (the exact Erdős–Rényi solve) instead.", nameof(density));
            }

            current = epsilon * dims;
            epsilon *= current > target ? 1.0 - factor : 1.0 + factor;
            factor *= 0.95;
            iterations++;
        }

        return (epsilon, iterations);
    }

    /// <summary>Keep-probability ε·Σdims/n of <paramref name="target"/> (may exceed 1).</summary>
    public static double KeepProbability(MaskTarget target, double epsilon) => epsilon * DimensionSum(target) / target.Count;

    private static double DimensionSum(MaskTarget t)
    {
        double sum = 0;
        foreach (int d in t.Weight.Shape)
        {
            sum += d;
        }

        return sum;
    }
}
