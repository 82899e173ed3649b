namespace Winnow.NN.Serialization;

/// <summary>
/// Element types of the safetensors format, spelled in the file's header as the upper-case member
/// name (<c>"F32"</c>, <c>"I64"</c>; <see cref="Bool"/> as <c>"BOOL"</c>). Winnow writes
/// <see cref="F32"/> and <see cref="I64"/>; it reads every member, converting to float32
/// (integers above 2^24 in magnitude and <see cref="F64"/> values round to the nearest float).
/// </summary>
public enum SafeTensorDType
{
    /// <summary>Boolean, one byte (0 false, anything else true → 1f).</summary>
    Bool,

    /// <summary>Unsigned 8-bit integer.</summary>
    U8,

    /// <summary>Signed 8-bit integer.</summary>
    I8,

    /// <summary>Signed 16-bit integer, little-endian.</summary>
    I16,

    /// <summary>Unsigned 16-bit integer, little-endian.</summary>
    U16,

    /// <summary>IEEE half precision, little-endian.</summary>
    F16,

    /// <summary>bfloat16 (the upper half of a float32), little-endian.</summary>
    BF16,

    /// <summary>Signed 32-bit integer, little-endian.</summary>
    I32,

    /// <summary>Unsigned 32-bit integer, little-endian.</summary>
    U32,

    /// <summary>IEEE single precision, little-endian: Winnow's tensor type.</summary>
    F32,

    /// <summary>IEEE double precision, little-endian.</summary>
    F64,

    /// <summary>Signed 64-bit integer, little-endian (PyTorch's <c>torch.int64</c>, e.g. <c>num_batches_tracked</c>).</summary>
    I64,

    /// <summary>Unsigned 64-bit integer, little-endian.</summary>
    U64,
}
