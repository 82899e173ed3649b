namespace Winnow.NN.Data;

/// <summary>Where <see cref="DatasetCatalog.Locate"/> found a data set, in search order.</summary>
public enum DatasetSource
{
    /// <summary>The directory passed by the caller (the CLI's <c>--data DIR</c>).</summary>
    Argument,

    /// <summary>The directory named by the <c>WINNOW_DATA</c> environment variable.</summary>
    Environment,

    /// <summary>The system-wide <c>/usr/share/datasets/&lt;name&gt;</c> (Debian's <c>dataset-*</c> packages).</summary>
    System,

    /// <summary>The 10k/2k Fashion-MNIST sample shipped in the repository at <c>data/fashion-mnist-sample</c>.</summary>
    BundledSample,
}
