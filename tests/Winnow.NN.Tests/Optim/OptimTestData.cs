using Winnow.NN;

namespace Winnow.NN.Tests.Optim;

/// <summary>Tiny parameters with hand-picked values for optimizer tests.</summary>
internal static class OptimTestData
{
    /// <summary>A 1-D parameter holding <paramref name="values"/>.</summary>
    public static Parameter Param(string? name, params float[] values)
    {
        var p = new Parameter(values.Length) { Name = name };
        values.CopyTo(p.Data);
        return p;
    }

    /// <summary>Sets the parameter's gradient.</summary>
    public static void Grad(Parameter p, params float[] values) => p.SetGrad(values);
}
