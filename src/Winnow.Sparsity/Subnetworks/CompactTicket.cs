using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Winnow.NN;
using Winnow.NN.Models;
using Winnow.NN.Serialization;

namespace Winnow.Sparsity.Subnetworks;

/// <summary>
/// The compact export of a found subnetwork: a network that needs only its masks, signs and gains.
/// Layout (little-endian): "WNTK" magic, int32 header length, the UTF-8 JSON <see cref="CompactTicketHeader"/>,
/// then per masked layer its mask bitmap (⌈n/8⌉ bytes, bit i of byte i/8 = weight i, LSB first) followed
/// by the kept weights — biprop: one sign bit each (1 = +α) packed the same way; edge-popup: fp32
/// values — then every other state tensor (BN running statistics and γ/β, dense layers) as fp32
/// (BN's num_batches_tracked counters are left out: inference does not use them).
/// <see cref="Load"/> rebuilds the zoo model with W = ±α (or W) on kept positions and +0 elsewhere,
/// which reproduces the search network's outputs bit for bit.
/// </summary>
public static class CompactTicket
{
    /// <summary>Format tag written in the header.</summary>
    public const string FormatVersion = "winnow-ticket/1";

    private static readonly byte[] s_magic = "WNTK"u8.ToArray();
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes <paramref name="subnet"/> (built from zoo model <paramref name="model"/> with <paramref name="spec"/>) to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, Subnetwork subnet, string model, ModelSpec spec, string? dataset = null)
    {
        subnet.Refresh();
        var masked = subnet.Masks.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var dense = subnet.Model.StateDict().Where(kv => !masked.ContainsKey(kv.Key) && !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        var header = new CompactTicketHeader
        {
            Format = FormatVersion,
            Model = model,
            InChannels = spec.InChannels,
            InputSize = spec.InputSize,
            Classes = spec.Classes,
            WidthMultiplier = spec.WidthMultiplier,
            Bias = spec.Bias,
            AffineBatchNorm = spec.AffineBatchNorm,
            Dataset = dataset,
            Method = subnet.Options.Method == SubnetMethod.Biprop ? "biprop" : "edge-popup",
            KeepFraction = subnet.Options.KeepFraction,
            Global = subnet.Options.Global,
            Layers = subnet.Masks.Select(m => new CompactTicketLayer(m.Name, m.Weight.Shape.ToArray(), m.Kept, m.Alpha)).ToArray(),
            Dense = dense.Select(kv => new CompactTicketLayer(kv.Key, kv.Value.Shape.ToArray())).ToArray(),
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, s_json);
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(s_magic);
            w.Write(json.Length);
            w.Write(json);
            foreach (var m in subnet.Masks)
            {
                var mask = m.Mask.ToArray();
                var weight = m.Weight.Data.ToArray();
                w.Write(Pack(mask.Length, i => mask[i] != 0f));
                var kept = Enumerable.Range(0, mask.Length).Where(i => mask[i] != 0f).ToArray();
                if (subnet.Options.Method == SubnetMethod.Biprop)
                {
                    w.Write(Pack(kept.Length, j => weight[kept[j]] > 0));
                }
                else
                {
                    foreach (int i in kept)
                    {
                        w.Write(weight[i]);
                    }
                }
            }

            foreach (var (_, t) in dense)
            {
                foreach (float v in t.Data)
                {
                    w.Write(v);
                }
            }
        });
    }

    /// <summary>Rebuilds the network stored in <paramref name="path"/> (plain zoo model, no masks attached, eval mode).</summary>
    /// <exception cref="InvalidDataException">The file is not a Winnow ticket or is truncated/inconsistent; the message names the file.</exception>
    public static (Module Model, CompactTicketHeader Header) Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 || !bytes.AsSpan(0, 4).SequenceEqual(s_magic))
        {
            throw new InvalidDataException($"'{path}' is not a Winnow compact ticket (missing the WNTK magic); pass the ticket.wntk written by `winnow subnet`.");
        }

        try
        {
            int len = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
            var header = JsonSerializer.Deserialize<CompactTicketHeader>(bytes.AsSpan(8, len), s_json)
                ?? throw new InvalidDataException("empty header");
            var model = ModelZoo.Create(header.Model, new ModelSpec(header.InChannels, header.InputSize, header.Classes, new Rng(0))
            {
                WidthMultiplier = header.WidthMultiplier,
                Bias = header.Bias,
                AffineBatchNorm = header.AffineBatchNorm,
            });
            var state = model.StateDict();
            int o = 8 + len;
            bool biprop = header.Method == "biprop";
            foreach (var l in header.Layers)
            {
                var w = state[l.Name].Data;
                var mask = Unpack(bytes.AsSpan(o), w.Length);
                o += (w.Length + 7) / 8;
                var signs = biprop ? Unpack(bytes.AsSpan(o), l.Kept) : [];
                int j = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    if (!mask[i])
                    {
                        w[i] = 0f;
                        continue;
                    }

                    if (biprop)
                    {
                        w[i] = signs[j++] ? l.Alpha : -l.Alpha;
                    }
                    else
                    {
                        w[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(o + (4 * j++)));
                    }
                }

                o += biprop ? (l.Kept + 7) / 8 : 4 * l.Kept;
            }

            foreach (var d in header.Dense)
            {
                var t = state[d.Name].Data;
                for (int i = 0; i < t.Length; i++, o += 4)
                {
                    t[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(o));
                }
            }

            if (o != bytes.Length)
            {
                throw new InvalidDataException($"{bytes.Length - o} unexpected trailing bytes");
            }

            model.Eval();
            return (model, header);
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException or JsonException or InvalidDataException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"Compact ticket '{path}' is damaged or does not match its model: {ex.Message}", ex);
        }
    }

    private static byte[] Pack(int n, Func<int, bool> bit)
    {
        var bytes = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++)
        {
            if (bit(i))
            {
                bytes[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return bytes;
    }

    private static bool[] Unpack(ReadOnlySpan<byte> bytes, int n)
    {
        var bits = new bool[n];
        for (int i = 0; i < n; i++)
        {
            bits[i] = (bytes[i >> 3] & (1 << (i & 7))) != 0;
        }

        return bits;
    }
}
