using Winnow.Autograd;
using Xunit;
using Xunit.Sdk;

namespace Winnow.Testing;

/// <summary>
/// Finite-difference gradient check. The scalar probed is L = Σ f(inputs)·R with a fixed random R,
/// so every output element contributes with a different weight. Analytic gradients come from the
/// engine's backward; numeric ones from central differences, with L summed in double.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Asserts that the gradients of every input that requires grad match central differences.
    /// <paramref name="forward"/> must be deterministic (re-seed any randomness inside it).
    /// </summary>
    public static void Check(Func<Tensor> forward, Tensor[] inputs, float eps = 1e-2f, float atol = 2e-3f, float rtol = 2e-2f, int maxElementsPerInput = 64, ulong seed = 99)
    {
        Tensor probe;
        using (GradMode.NoGrad())
        {
            var outShape = forward().Shape.ToArray();
            probe = Tensor.Uniform(new Rng(seed), -1f, 1f, outShape);
        }

        foreach (var x in inputs)
        {
            x.ZeroGrad();
        }

        var y = forward();
        var loss = Ops.Sum(Ops.Mul(y, probe));
        loss.Backward();

        var rng = new Rng(seed + 1);
        for (int inputIndex = 0; inputIndex < inputs.Length; inputIndex++)
        {
            var x = inputs[inputIndex];
            if (!x.RequiresGrad)
            {
                continue;
            }

            var analytic = x.Grad?.ToArray() ?? new float[x.Length];
            var data = x.Data;
            int count = Math.Min(x.Length, maxElementsPerInput);
            for (int c = 0; c < count; c++)
            {
                int i = x.Length <= maxElementsPerInput ? c : rng.NextInt(x.Length);
                float saved = data[i];
                data[i] = saved + eps;
                double plus = Probe(forward, probe);
                data[i] = saved - eps;
                double minus = Probe(forward, probe);
                data[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double diff = Math.Abs(numeric - analytic[i]);
                double bound = atol + rtol * Math.Max(Math.Abs(numeric), Math.Abs(analytic[i]));
                if (diff > bound)
                {
                    throw new XunitException($"Gradient mismatch for input {inputIndex} ({x.Name ?? Tensor.ShapeString(x.Shape)}) element {i}: analytic {analytic[i]:G6}, numeric {numeric:G6} (|diff| {diff:G3} > {bound:G3}).");
                }
            }
        }
    }

    private static double Probe(Func<Tensor> forward, Tensor probe)
    {
        using (GradMode.NoGrad())
        {
            var y = forward().Data;
            var r = probe.Data;
            double s = 0;
            for (int i = 0; i < y.Length; i++)
            {
                s += (double)y[i] * r[i];
            }

            return s;
        }
    }
}
