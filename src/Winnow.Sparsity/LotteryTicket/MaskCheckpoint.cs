using Winnow.NN;
using Winnow.NN.Serialization;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// Masks on disk: a checkpoint's extras <c>masks.{weight name}</c> (stored as
/// <c>__extras__.masks.fc1.weight</c>, F32 0/1, the weight's shape), saved with the weights so a
/// mask found by one method can be retrained, evaluated or compared by another.
/// </summary>
public static class MaskCheckpoint
{
    /// <summary>The extras prefix of mask tensors.</summary>
    public const string Prefix = "masks.";

    /// <summary>Copies of the masks keyed <c>masks.{name}</c>, for <see cref="Checkpoint.Save"/>'s extras.</summary>
    public static Dictionary<string, Tensor> ToExtras(MaskSet masks)
        => masks.Snapshot().ToDictionary(kv => Prefix + kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>The masks stored in <paramref name="checkpoint"/> by weight name (empty if it has none).</summary>
    public static IReadOnlyDictionary<string, Tensor> Read(CheckpointData checkpoint)
        => checkpoint.Extras.Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[Prefix.Length..], kv => kv.Value, StringComparer.Ordinal);

    /// <summary>
    /// A mask set for <paramref name="model"/> over exactly the tensors the checkpoint has masks for,
    /// or null if it has none.
    /// </summary>
    /// <exception cref="ArgumentException">The masks name tensors that are not conv/linear weights of the model, have other shapes, or hold values other than 0/1; the message names the file.</exception>
    public static MaskSet? TryLoad(Module model, CheckpointData checkpoint)
    {
        var saved = Read(checkpoint);
        if (saved.Count == 0)
        {
            return null;
        }

        MaskSet masks;
        try
        {
            masks = new MaskSet(model, new MaskableSelection { Only = [.. saved.Keys] });
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The masks in '{checkpoint.Path}' do not fit this {model.GetType().Name}: {e.Message} Was the file made for another model?", e);
        }

        LoadInto(masks, checkpoint);
        return masks;
    }

    /// <summary>Loads the checkpoint's masks into an existing mask set (same tensors and shapes).</summary>
    /// <exception cref="ArgumentException">Names, shapes or values do not fit; the message names the file.</exception>
    public static void LoadInto(MaskSet masks, CheckpointData checkpoint)
    {
        try
        {
            masks.Load(Read(checkpoint), $"'{checkpoint.Path}'");
        }
        catch (ArgumentException e) when (!e.Message.Contains(checkpoint.Path, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The masks in '{checkpoint.Path}' are invalid: {e.Message}", e);
        }
    }
}
