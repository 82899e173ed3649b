namespace Winnow.NN.Data;

/// <summary>
/// The directory a data set was found in, how it was found, and the places checked before it
/// (each with the reason it was passed over), so a caller can warn when e.g. <c>--data</c> was
/// ignored.
/// </summary>
public sealed record DatasetLocation(string Directory, DatasetSource Source, IReadOnlyList<string> Skipped)
{
    /// <summary>True when this is the bundled 10k/2k Fashion-MNIST sample rather than the full data set.</summary>
    public bool IsSample => Source == DatasetSource.BundledSample;
}
