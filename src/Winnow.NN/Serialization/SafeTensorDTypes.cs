using System.Buffers.Binary;

namespace Winnow.NN.Serialization;

/// <summary>Names, sizes and float32 conversions of <see cref="SafeTensorDType"/> values.</summary>
internal static class SafeTensorDTypes
{
    /// <summary>The header spellings this reader accepts, for error messages.</summary>
    public const string Supported = "F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL";

    /// <summary>The header spelling of <paramref name="dtype"/>.</summary>
    public static string Name(SafeTensorDType dtype) => dtype == SafeTensorDType.Bool ? "BOOL" : dtype.ToString();

    /// <summary>Parses a header spelling (exact, case-sensitive as in the format).</summary>
    public static bool TryParse(string text, out SafeTensorDType dtype)
    {
        dtype = text switch
        {
            "BOOL" => SafeTensorDType.Bool,
            "U8" => SafeTensorDType.U8,
            "I8" => SafeTensorDType.I8,
            "I16" => SafeTensorDType.I16,
            "U16" => SafeTensorDType.U16,
            "F16" => SafeTensorDType.F16,
            "BF16" => SafeTensorDType.BF16,
            "I32" => SafeTensorDType.I32,
            "U32" => SafeTensorDType.U32,
            "F32" => SafeTensorDType.F32,
            "F64" => SafeTensorDType.F64,
            "I64" => SafeTensorDType.I64,
            "U64" => SafeTensorDType.U64,
            _ => (SafeTensorDType)(-1),
        };
        return dtype >= 0;
    }

    /// <summary>Bytes per element.</summary>
    public static int Size(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.Bool or SafeTensorDType.U8 or SafeTensorDType.I8 => 1,
        SafeTensorDType.I16 or SafeTensorDType.U16 or SafeTensorDType.F16 or SafeTensorDType.BF16 => 2,
        SafeTensorDType.I32 or SafeTensorDType.U32 or SafeTensorDType.F32 => 4,
        _ => 8,
    };

    /// <summary>True for the floating-point types.</summary>
    public static bool IsFloatingPoint(SafeTensorDType dtype) =>
        dtype is SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.F32 or SafeTensorDType.F64;

    /// <summary>Converts little-endian elements to float32. src: (n · Size) bytes -> dst: (n).</summary>
    public static void ToFloat(ReadOnlySpan<byte> src, Span<float> dst, SafeTensorDType dtype)
    {
        switch (dtype)
        {
            case SafeTensorDType.Bool:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = src[i] != 0 ? 1f : 0f;
                }

                break;
            case SafeTensorDType.U8:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = src[i];
                }

                break;
            case SafeTensorDType.I8:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = (sbyte)src[i];
                }

                break;
            case SafeTensorDType.I16:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadInt16LittleEndian(src[(2 * i)..]);
                }

                break;
            case SafeTensorDType.U16:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]);
                }

                break;
            case SafeTensorDType.F16:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(src[(2 * i)..]);
                }

                break;
            case SafeTensorDType.BF16:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) << 16);
                }

                break;
            case SafeTensorDType.I32:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]);
                }

                break;
            case SafeTensorDType.U32:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadUInt32LittleEndian(src[(4 * i)..]);
                }

                break;
            case SafeTensorDType.F32:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
                }

                break;
            case SafeTensorDType.F64:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]);
                }

                break;
            case SafeTensorDType.I64:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadInt64LittleEndian(src[(8 * i)..]);
                }

                break;
            case SafeTensorDType.U64:
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadUInt64LittleEndian(src[(8 * i)..]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype.");
        }
    }
}
