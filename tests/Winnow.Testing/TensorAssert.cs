using Xunit.Sdk;

namespace Winnow.Testing;

/// <summary>Element-wise comparisons with messages that point at the first bad element.</summary>
public static class TensorAssert
{
    /// <summary>Asserts |a−e| ≤ atol + rtol·|e| element-wise.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float atol = 1e-5f, float rtol = 1e-4f, string what = "value")
    {
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"{what}: expected {expected.Length} elements, got {actual.Length}.");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(a) != float.IsNaN(e) || Math.Abs(a - e) > atol + rtol * Math.Abs(e))
            {
                throw new XunitException($"{what}[{i}]: expected {e:G9}, got {a:G9} (|diff| {Math.Abs(a - e):G3}, tolerance {atol + rtol * Math.Abs(e):G3}).");
            }
        }
    }

    /// <summary>Asserts the two spans are bit-identical.</summary>
    public static void BitIdentical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what = "value")
    {
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"{what}: expected {expected.Length} elements, got {actual.Length}.");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                throw new XunitException($"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9}; results must be bit-identical.");
            }
        }
    }
}
