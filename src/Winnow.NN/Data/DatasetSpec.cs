namespace Winnow.NN.Data;

/// <summary>
/// A catalogue entry: name, file layout, image shape (C, H, W), number of classes, standard
/// per-channel normalisation, and how to obtain the files.
/// </summary>
public sealed record DatasetSpec(
    string Name,
    string Title,
    DatasetFormat Format,
    int Classes,
    int Channels,
    int Height,
    int Width,
    Normalization Normalization,
    string HowToGet)
{
    /// <summary>Training files in load order (IDX names may also exist with a <c>.gz</c> suffix).</summary>
    public IReadOnlyList<string> TrainFiles => Format switch
    {
        DatasetFormat.Idx => ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"],
        DatasetFormat.Cifar10 => ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"],
        _ => ["train.bin"],
    };

    /// <summary>Test files in load order (IDX names may also exist with a <c>.gz</c> suffix).</summary>
    public IReadOnlyList<string> TestFiles => Format switch
    {
        DatasetFormat.Idx => ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"],
        DatasetFormat.Cifar10 => ["test_batch.bin"],
        _ => ["test.bin"],
    };

    /// <summary>The folder the official archive extracts to, also searched inside each location (null for IDX).</summary>
    public string? ArchiveFolder => Format switch
    {
        DatasetFormat.Cifar10 => "cifar-10-batches-bin",
        DatasetFormat.Cifar100 => "cifar-100-binary",
        _ => null,
    };

    /// <summary>The needed file names for messages, e.g. <c>train-images-idx3-ubyte[.gz]</c>.</summary>
    public string FileListForDisplay => string.Join(", ", TrainFiles.Concat(TestFiles).Select(Display));

    /// <summary>The first needed file missing from <paramref name="directory"/> (display form), or null if all are there.</summary>
    internal string? FirstMissingFile(string directory)
    {
        foreach (string file in TrainFiles.Concat(TestFiles))
        {
            if (Resolve(directory, file) is null)
            {
                return Display(file);
            }
        }

        return null;
    }

    /// <summary>Reads the train and test splits from <paramref name="directory"/> and checks they have this entry's shape.</summary>
    /// <exception cref="DataException">A file is missing or bad, or the images are not C×H×W as catalogued.</exception>
    internal (Dataset Train, Dataset Test) Read(string directory)
    {
        return (ReadSplit(directory, TrainFiles, "train"), ReadSplit(directory, TestFiles, "test"));
    }

    private Dataset ReadSplit(string directory, IReadOnlyList<string> files, string split)
    {
        string[] paths = files.Select(f => Resolve(directory, f)
            ?? throw new DataException($"Dataset '{Name}': '{Path.Combine(directory, Display(f))}' does not exist.", Path.Combine(directory, f))).ToArray();
        string name = $"{Name}/{split}";
        var data = Format switch
        {
            DatasetFormat.Idx => IdxReader.ReadDataset(name, paths[0], paths[1], Classes),
            DatasetFormat.Cifar10 => CifarReader.ReadCifar10(name, paths),
            _ => CifarReader.ReadCifar100(name, paths),
        };
        if (data.Channels != Channels || data.Height != Height || data.Width != Width)
        {
            throw new DataException($"'{paths[0]}' holds {data.Channels}×{data.Height}×{data.Width} images, but {Title} images are {Channels}×{Height}×{Width}. The directory holds a different data set.", paths[0]);
        }

        return data;
    }

    private string? Resolve(string directory, string file) =>
        Format == DatasetFormat.Idx ? DataFile.FindRawOrGzip(directory, file) : (File.Exists(Path.Combine(directory, file)) ? Path.Combine(directory, file) : null);

    private string Display(string file) => Format == DatasetFormat.Idx ? file + "[.gz]" : file;
}
