namespace Winnow.NN.Serialization;

/// <summary>
/// One tensor as described by a safetensors header: element type, shape, and its byte range
/// [<paramref name="Begin"/>, <paramref name="End"/>) relative to the start of the data section.
/// </summary>
internal sealed record SafeTensorEntry(string Name, SafeTensorDType DType, int[] Shape, int Length, long Begin, long End);
