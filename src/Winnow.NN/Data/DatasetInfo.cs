namespace Winnow.NN.Data;

/// <summary>What <see cref="DatasetCatalog.Load"/> loaded: the catalogue entry and where its files were found.</summary>
public sealed record DatasetInfo(DatasetSpec Spec, DatasetLocation Location)
{
    /// <summary>Catalogue name, e.g. <c>fashion-mnist</c>.</summary>
    public string Name => Spec.Name;

    /// <summary>Number of classes.</summary>
    public int Classes => Spec.Classes;

    /// <summary>The standard per-channel normalisation of this data set.</summary>
    public Normalization Normalization => Spec.Normalization;

    /// <summary>True when the bundled 10k/2k sample was used.</summary>
    public bool IsSample => Location.IsSample;
}
