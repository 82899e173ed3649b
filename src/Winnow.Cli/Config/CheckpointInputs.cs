using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;
using Winnow.Sparsity.Masks;

namespace Winnow.Cli.Config;

/// <summary>
/// Checkpoints given on the command line (--from, --masks, `winnow info` arguments): a run
/// directory or a .safetensors file, checked with messages that name the option and the path.
/// </summary>
public static class CheckpointInputs
{
    /// <summary>The checkpoint file of <paramref name="path"/> (a run directory's checkpoint.safetensors, or the file itself).</summary>
    /// <exception cref="CliException">Nothing there.</exception>
    public static string Resolve(string option, string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "checkpoint.safetensors") : path;
        return File.Exists(file)
            ? file
            : throw new CliException($"{option} {path}: no checkpoint there. Pass a run directory written by `winnow train`, `prune` or `lottery` (level-NN folders hold the lottery tickets) or its checkpoint.safetensors file.");
    }

    /// <summary>Loads the checkpoint at <paramref name="path"/> (file or run directory).</summary>
    /// <exception cref="CliException">Missing.</exception>
    /// <exception cref="SerializationException">Not a valid Winnow checkpoint (the message names the file).</exception>
    public static CheckpointData Load(string option, string path) => Checkpoint.Load(Resolve(option, path));

    /// <summary>The model name the checkpoint records, or <paramref name="fallback"/>.</summary>
    /// <exception cref="CliException">Not recorded and no fallback.</exception>
    public static string ModelOf(CheckpointData data, string? fallback = null)
        => data.Metadata.TryGetValue("model", out var m) ? m : fallback ?? throw new CliException($"Checkpoint '{data.Path}' does not record its model; pass --model NAME.");

    /// <summary>
    /// Makes <paramref name="config"/> use the model and dataset <paramref name="source"/> was trained
    /// with; a different --model or --dataset flag is an error.
    /// </summary>
    /// <exception cref="CliException">The flags name another model or dataset.</exception>
    public static void Adopt(TrainConfig config, CheckpointData source, ISet<string> givenFlags, string option)
    {
        string model = ModelOf(source, givenFlags.Contains("model") ? config.Model : null);
        if (givenFlags.Contains("model") && !string.Equals(model, config.Model, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"--model {config.Model} does not match {option} '{source.Path}', which holds a {model}; drop --model (it is read from the checkpoint).");
        }

        config.Model = model;
        if (source.Metadata.TryGetValue("dataset", out var dataset))
        {
            if (givenFlags.Contains("dataset") && !string.Equals(dataset, config.Dataset, StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"--dataset {config.Dataset} does not match {option} '{source.Path}', which was trained on {dataset}; drop --dataset.");
            }

            config.Dataset = dataset;
        }
    }

    /// <summary>The masks of <paramref name="file"/> for <paramref name="model"/> of architecture <paramref name="modelName"/>.</summary>
    /// <exception cref="CliException">The file holds no masks or records another model.</exception>
    /// <exception cref="ArgumentException">The masks do not fit the model (names, shapes, values; the message names the file).</exception>
    public static MaskSet Masks(CheckpointData file, NN.Module model, string modelName, string option)
    {
        if (file.Metadata.TryGetValue("model", out var recorded) && !string.Equals(recorded, modelName, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"{option} '{file.Path}' holds masks for a {recorded}, but this run uses {modelName}: masks only transfer between runs of the same model.");
        }

        return MaskCheckpoint.TryLoad(model, file)
            ?? throw new CliException($"{option} '{file.Path}' holds no masks (no masks.* tensors); pass a checkpoint written by `winnow prune` or `winnow lottery`.");
    }
}
