using System.Text;

namespace Winnow.NN.Data;

public static partial class DatasetCatalog
{
    /// <summary>
    /// Finds the directory holding the data set's files, trying in order:
    /// (1) <paramref name="dataDir"/> (the CLI's <c>--data DIR</c>);
    /// (2) the directory in the <c>WINNOW_DATA</c> environment variable;
    /// (3) <c>/usr/share/datasets/&lt;name&gt;</c>;
    /// (4) for fashion-mnist only, the bundled sample <c>data/fashion-mnist-sample</c> under
    /// <see cref="AppContext.BaseDirectory"/> or any of its parents (works from a build output folder
    /// and from the repository). For (1) and (2) both DIR itself and DIR/&lt;name&gt; are accepted; for CIFAR
    /// the archive folder (<c>cifar-10-batches-bin</c>, <c>cifar-100-binary</c>) inside each is accepted
    /// too. A directory counts only when it holds every needed file; the first such one wins.
    /// </summary>
    /// <exception cref="DataException">Unknown name, or nothing found: the message lists every place looked at, why each was passed over, and how to get the data.</exception>
    public static DatasetLocation Locate(string name, string? dataDir) =>
        LocateIn(name, dataDir, Environment.GetEnvironmentVariable(EnvironmentVariable), SystemRoot, AppContext.BaseDirectory);

    /// <summary><see cref="Locate(string, string?)"/> with the environment, system root and base directory given explicitly (for tests).</summary>
    internal static DatasetLocation LocateIn(string name, string? dataDir, string? environmentValue, string systemRoot, string? baseDirectory)
    {
        var spec = Get(name);
        var skipped = new List<string>();
        var looked = new List<string>();
        (string? Dir, DatasetSource Source, bool TryName)[] roots =
        [
            (dataDir, DatasetSource.Argument, true),
            (environmentValue, DatasetSource.Environment, true),
            (Path.Combine(systemRoot, spec.Name), DatasetSource.System, false),
        ];
        foreach (var (root, source, tryName) in roots)
        {
            if (string.IsNullOrWhiteSpace(root))
            {
                looked.Add(source == DatasetSource.Argument ? "--data DIR: not given" : $"${EnvironmentVariable}: not set");
                continue;
            }

            foreach (string dir in Candidates(spec, root, tryName))
            {
                string? why = WhyNot(spec, dir);
                if (why is null)
                {
                    return new DatasetLocation(Path.GetFullPath(dir), source, skipped);
                }

                skipped.Add($"{dir} ({Describe(source)}): {why}");
                looked.Add(skipped[^1]);
            }
        }

        if (spec.Name == DefaultName)
        {
            string? sample = FindSample(spec, baseDirectory);
            if (sample is not null)
            {
                return new DatasetLocation(sample, DatasetSource.BundledSample, skipped);
            }

            looked.Add($"{SampleFolder} (bundled sample) in {baseDirectory ?? "(no base directory)"} or any parent directory: not found");
        }

        throw NotFound(spec, looked);
    }

    private static IEnumerable<string> Candidates(DatasetSpec spec, string root, bool tryName)
    {
        var dirs = new List<string> { root };
        if (tryName)
        {
            dirs.Add(Path.Combine(root, spec.Name));
        }

        if (spec.ArchiveFolder is { } archive)
        {
            dirs.AddRange(dirs.Select(d => Path.Combine(d, archive)).ToList());
        }

        return dirs;
    }

    private static string? WhyNot(DatasetSpec spec, string dir)
    {
        if (!Directory.Exists(dir))
        {
            return "no such directory";
        }

        return spec.FirstMissingFile(dir) is { } missing ? $"no {missing}" : null;
    }

    private static string? FindSample(DatasetSpec spec, string? baseDirectory)
    {
        for (var dir = string.IsNullOrEmpty(baseDirectory) ? null : new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, SampleFolder);
            if (Directory.Exists(candidate) && spec.FirstMissingFile(candidate) is null)
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Describe(DatasetSource source) => source switch
    {
        DatasetSource.Argument => "--data",
        DatasetSource.Environment => "$" + EnvironmentVariable,
        DatasetSource.System => "system data sets",
        _ => "bundled sample",
    };

    private static DataException NotFound(DatasetSpec spec, List<string> skipped)
    {
        var text = new StringBuilder();
        text.Append($"Could not find the {spec.Title} data set ('{spec.Name}'). Looked in:");
        foreach (string place in skipped)
        {
            text.Append("\n  - ").Append(place);
        }

        text.Append($"\nNeeded files: {spec.FileListForDisplay}.");
        text.Append($"\nTo get it: {spec.HowToGet}");
        return new DataException(text.ToString());
    }
}
