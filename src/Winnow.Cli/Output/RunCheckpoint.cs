using System.Globalization;
using Winnow.Cli.Config;
using Winnow.NN.Optim;
using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;
using Winnow.Sparsity.Masks;

namespace Winnow.Cli.Output;

/// <summary>
/// Writes the checkpoint of a `prune` or `lottery` run: the weights (pruned ones are exactly zero),
/// the masks as extras <c>masks.{weight name}</c>, and metadata naming the model, the dataset and the
/// resolved config, so `winnow eval`, `winnow info` and `winnow prune --masks` can read it back.
/// </summary>
public static class RunCheckpoint
{
    /// <summary>Saves <paramref name="e"/>'s model (and optimizer, if given) with <paramref name="masks"/> to <paramref name="file"/>.</summary>
    /// <param name="file">The checkpoint to write.</param>
    /// <param name="e">The experiment (model, config).</param>
    /// <param name="masks">The masks to store, or null for a dense checkpoint.</param>
    /// <param name="epoch">The last completed epoch (0-based), or null before any training.</param>
    /// <param name="extra">More metadata (e.g. the lottery level).</param>
    /// <param name="optimizer">Optimizer state to include, or null.</param>
    public static void Save(string file, Experiment e, MaskSet? masks, int? epoch, IReadOnlyDictionary<string, string>? extra = null, Optimizer? optimizer = null)
    {
        var metadata = new Dictionary<string, string>
        {
            ["model"] = e.Config.Model,
            ["dataset"] = e.Config.Dataset,
            ["config"] = System.Text.Json.JsonSerializer.Serialize(ConfigFile.ToDictionary(e.Config)),
            ["winnow_version"] = Cli.Version,
        };
        if (epoch is int ep)
        {
            metadata["epoch"] = ep.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            metadata[k] = v;
        }

        Checkpoint.Save(file, e.Model, optimizer, optimizer is null ? null : e.Rngs, metadata, masks is null ? null : MaskCheckpoint.ToExtras(masks));
    }
}
