namespace Winnow.NN.Data;

/// <summary>
/// The data sets Winnow knows by name — <c>fashion-mnist</c> (default), <c>mnist</c>, <c>kmnist</c>,
/// <c>cifar10</c>, <c>cifar100</c> — with their file layouts, classes and standard normalisation,
/// and the search for their files (<see cref="Locate"/>). Names are case-insensitive and ignore
/// <c>-</c>/<c>_</c>, so <c>CIFAR-10</c> and <c>FashionMNIST</c> work.
/// </summary>
public static partial class DatasetCatalog
{
    /// <summary>The data set used when none is named.</summary>
    public const string DefaultName = "fashion-mnist";

    /// <summary>Environment variable naming a data directory (DIR holding the files, or DIR/&lt;name&gt;).</summary>
    public const string EnvironmentVariable = "WINNOW_DATA";

    /// <summary>System-wide data root; Debian's <c>dataset-fashion-mnist</c> installs into <c>/usr/share/datasets/fashion-mnist</c>.</summary>
    public const string SystemRoot = "/usr/share/datasets";

    /// <summary>Repository-relative folder of the bundled 10k/2k Fashion-MNIST sample.</summary>
    public const string SampleFolder = "data/fashion-mnist-sample";

    private const string IdxHint = "pass --data DIR (or set WINNOW_DATA=DIR) where DIR holds train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (raw or gzip)";

    private static readonly DatasetSpec[] s_all =
    [
        new("fashion-mnist", "Fashion-MNIST", DatasetFormat.Idx, 10, 1, 28, 28, new([0.2860f], [0.3530f]),
            "sudo apt-get install dataset-fashion-mnist (installs /usr/share/datasets/fashion-mnist), or download the IDX files from https://github.com/zalandoresearch/fashion-mnist and " + IdxHint + "."),
        new("mnist", "MNIST", DatasetFormat.Idx, 10, 1, 28, 28, new([0.1307f], [0.3081f]),
            "download the four IDX files from http://yann.lecun.com/exdb/mnist/ (or a mirror) and " + IdxHint + "."),
        new("kmnist", "KMNIST", DatasetFormat.Idx, 10, 1, 28, 28, new([0.1918f], [0.3483f]),
            "download the MNIST-format files from https://github.com/rois-codh/kmnist and " + IdxHint + "."),
        new("cifar10", "CIFAR-10", DatasetFormat.Cifar10, 10, 3, 32, 32, new([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]),
            "download the binary version (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html, extract it, and pass --data DIR (or set WINNOW_DATA=DIR) where DIR holds cifar-10-batches-bin/ or its .bin files."),
        new("cifar100", "CIFAR-100", DatasetFormat.Cifar100, 100, 3, 32, 32, new([0.5071f, 0.4865f, 0.4409f], [0.2673f, 0.2564f, 0.2762f]),
            "download the binary version (cifar-100-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html, extract it, and pass --data DIR (or set WINNOW_DATA=DIR) where DIR holds cifar-100-binary/ or train.bin and test.bin."),
    ];

    /// <summary>Every catalogued data set, default first.</summary>
    public static IReadOnlyList<DatasetSpec> All => s_all;

    /// <summary>The catalogue names, default first.</summary>
    public static IReadOnlyList<string> Names { get; } = s_all.Select(s => s.Name).ToArray();

    /// <summary>Looks up a data set by name (case-insensitive, ignoring '-', '_' and spaces).</summary>
    public static bool TryGet(string name, out DatasetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Key(name);
        spec = s_all.FirstOrDefault(s => Key(s.Name) == key)!;
        return spec is not null;
    }

    /// <summary>Looks up a data set by name.</summary>
    /// <exception cref="DataException">Unknown name; the message lists the known names and suggests the nearest one.</exception>
    public static DatasetSpec Get(string name)
    {
        if (TryGet(name, out var spec))
        {
            return spec;
        }

        // Compare normalised keys (case, '-', '_' and spaces ignored) but always suggest something.
        string nearest = s_all.Select(s => Key(s.Name)).MinBy(k => Winnow.Settings.NameSuggestions.Distance(Key(name), k))!;
        string suggestion = s_all.First(s => Key(s.Name) == nearest).Name;
        throw new DataException($"Unknown data set '{name}'. Known data sets: {string.Join(", ", Names)}. Did you mean '{suggestion}'?");
    }

    /// <summary>
    /// Finds the data set's files and loads the train and test splits. See <see cref="Locate"/> for
    /// the search order.
    /// </summary>
    /// <exception cref="DataException">Unknown name, not found (the message lists every place looked at and how to get the data), or a bad file.</exception>
    public static (Dataset Train, Dataset Test, DatasetInfo Info) Load(string name, string? dataDir)
    {
        var spec = Get(name);
        var location = Locate(name, dataDir);
        var (train, test) = spec.Read(location.Directory);
        return (train, test, new DatasetInfo(spec, location));
    }

    /// <summary>Loads the train and test splits of <paramref name="spec"/> from one directory, without searching.</summary>
    /// <exception cref="DataException">A file is missing or bad.</exception>
    public static (Dataset Train, Dataset Test) LoadFrom(DatasetSpec spec, string directory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Read(directory);
    }

    private static string Key(string name) =>
        new(name.Trim().ToLowerInvariant().Where(ch => ch is not ('-' or '_' or ' ')).ToArray());
}
