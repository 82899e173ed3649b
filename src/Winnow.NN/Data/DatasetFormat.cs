namespace Winnow.NN.Data;

/// <summary>On-disk layout of a catalogued data set.</summary>
public enum DatasetFormat
{
    /// <summary>Four IDX files, raw or gzip: <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c> (each optionally <c>.gz</c>).</summary>
    Idx,

    /// <summary>CIFAR-10 binary: <c>data_batch_1.bin</c>…<c>data_batch_5.bin</c> and <c>test_batch.bin</c>, records of 1 + 3072 bytes.</summary>
    Cifar10,

    /// <summary>CIFAR-100 binary: <c>train.bin</c> and <c>test.bin</c>, records of 2 + 3072 bytes (coarse, fine label).</summary>
    Cifar100,
}
