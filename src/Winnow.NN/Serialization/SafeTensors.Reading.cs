using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Winnow.NN.Serialization;

public static partial class SafeTensors
{
    /// <summary>
    /// Reads a safetensors file: validates the whole header first, then streams each tensor's data
    /// straight into its float32 storage (F32 on little-endian hosts without an intermediate copy).
    /// </summary>
    /// <exception cref="SerializationException">The file is not a valid safetensors file; the message names it and says what is wrong.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafeTensorFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = System.IO.Path.GetFullPath(path);
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw SafeTensorHeader.Corrupt(full, $"it has {fileLength} bytes, too short for the 8-byte header length that starts every safetensors file", SafeTensorHeader.TruncatedHint, null);
        }

        Span<byte> lengthField = stackalloc byte[8];
        stream.ReadExactly(lengthField);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthField);
        if (headerLength > (ulong)(fileLength - 8))
        {
            throw SafeTensorHeader.Corrupt(full,
                $"the first 8 bytes give a header length of {headerLength} bytes, but only {fileLength - 8} bytes follow them (file size {fileLength})",
                SafeTensorHeader.TruncatedHint, null);
        }

        if (headerLength > SafeTensorHeader.MaxHeaderBytes)
        {
            throw SafeTensorHeader.Corrupt(full, $"the header length is {headerLength} bytes, above the format's limit of {SafeTensorHeader.MaxHeaderBytes}", SafeTensorHeader.TruncatedHint, null);
        }

        byte[] json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataLength = fileLength - 8 - (long)headerLength;
        var (entries, metadata) = SafeTensorHeader.Parse(json, full, dataLength);

        var names = new List<string>(entries.Count);
        var tensors = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        var dtypes = new Dictionary<string, SafeTensorDType>(entries.Count, StringComparer.Ordinal);
        byte[]? chunk = null;
        try
        {
            foreach (var entry in entries)
            {
                var tensor = new Tensor(entry.Shape) { Name = entry.Name };
                ReadData(stream, tensor.Data, entry.DType, ref chunk, full, entry.Name);
                names.Add(entry.Name);
                tensors.Add(entry.Name, tensor);
                dtypes.Add(entry.Name, entry.DType);
            }
        }
        finally
        {
            if (chunk is not null)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        return new SafeTensorFile(full, names, tensors, dtypes, metadata);
    }

    private static void ReadData(Stream stream, Span<float> dst, SafeTensorDType dtype, ref byte[]? chunk, string path, string name)
    {
        try
        {
            if (dtype == SafeTensorDType.F32 && BitConverter.IsLittleEndian)
            {
                stream.ReadExactly(MemoryMarshal.AsBytes(dst));
                return;
            }

            chunk ??= ArrayPool<byte>.Shared.Rent(ChunkBytes);
            int size = SafeTensorDTypes.Size(dtype);
            for (int start = 0; start < dst.Length; start += ChunkBytes / size)
            {
                var part = dst.Slice(start, Math.Min(ChunkBytes / size, dst.Length - start));
                var bytes = chunk.AsSpan(0, part.Length * size);
                stream.ReadExactly(bytes);
                SafeTensorDTypes.ToFloat(bytes, part, dtype);
            }
        }
        catch (EndOfStreamException e)
        {
            // Only possible if the file shrank while being read: the header was checked against its length.
            throw SafeTensorHeader.Corrupt(path, $"the file ended while reading tensor '{name}'", SafeTensorHeader.TruncatedHint, e);
        }
    }
}
