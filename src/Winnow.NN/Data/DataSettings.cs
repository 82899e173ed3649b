using Winnow.Settings;

namespace Winnow.NN.Data;

/// <summary>The data settings of a run: which dataset, where its files are, batch sizes, augmentation and the validation split.</summary>
public sealed record DataSettings
{
    [Setting("dataset", "Dataset (see `winnow datasets`).", Choices = typeof(DatasetCatalog))]
    public string Dataset { get; init; } = DatasetCatalog.DefaultName;

    [Setting("data", "Directory with the dataset files; a directory that does not hold them is an error (default: $WINNOW_DATA, /usr/share/datasets/<name>, then the bundled sample).", NullMeans = "search")]
    public string? Data { get; init; }

    [Setting("batch-size", "Training mini-batch size.", Min = 1)]
    public int BatchSize { get; init; } = 100;

    [Setting("eval-batch-size", "Evaluation batch size.", Min = 1)]
    public int EvalBatchSize { get; init; } = 1000;

    [Setting("augment", "Random crop with zero padding (4 px for 32×32, 2 for 28×28) and horizontal flip.")]
    public bool Augment { get; init; }

    [Setting("val-split", "Hold out N training images (or a fraction below 1) for validation; the test set is then evaluated once at the end.", Min = 0)]
    public double ValSplit { get; init; }
}
