using Xunit;

namespace Winnow.Testing;

/// <summary>Central-difference gradient checks on raw arrays (for kernel twins, below the Tensor level).</summary>
public static class FiniteDifference
{
    /// <summary>
    /// Asserts, for every element i of <paramref name="param"/>, that (L(p + eps·eᵢ) − L(p − eps·eᵢ)) / (2·eps)
    /// matches <paramref name="analytic"/>[i] within atol + rtol·|numeric|. <paramref name="loss"/> reads
    /// <paramref name="param"/>, which is perturbed in place and restored.
    /// </summary>
    public static void AssertMatches(float[] param, float[] analytic, Func<double> loss, float eps, double atol, double rtol)
    {
        for (int i = 0; i < param.Length; i++)
        {
            float saved = param[i];
            param[i] = saved + eps;
            double plus = loss();
            param[i] = saved - eps;
            double minus = loss();
            param[i] = saved;
            double numeric = (plus - minus) / (2.0 * eps);
            Assert.True(Math.Abs(numeric - analytic[i]) <= atol + rtol * Math.Abs(numeric), $"gradient [{i}]: analytic {analytic[i]}, numeric {numeric}");
        }
    }
}
