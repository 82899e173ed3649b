using System.Buffers.Binary;
using System.Text;

namespace Winnow.NN.Tests.Serialization;

/// <summary>Builds safetensors bytes by hand (header JSON given verbatim) for reader and corruption tests.</summary>
internal static class RawSafeTensors
{
    /// <summary>8-byte little-endian length of <paramref name="json"/>, the JSON itself, then <paramref name="data"/>.</summary>
    public static byte[] Build(string json, params byte[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        byte[] bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    /// <summary>Little-endian bytes of float32 values.</summary>
    public static byte[] F32(params float[] values)
    {
        byte[] bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        return bytes;
    }
}
