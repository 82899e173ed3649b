namespace Winnow.NN.Models;

/// <summary>
/// The registry of named models with the papers' exact definitions (ALGORITHMS.md §1.10, §2.9, §3.10),
/// adapted to any square input (C, S, S) the architecture can take and to any class count.
/// <code>var model = ModelZoo.Create("wrn-16-8", new ModelSpec(3, 32, 10, new Rng(1)));</code>
/// Every model outputs logits of shape (N, classes) and has its tensors named after their dotted
/// paths (<see cref="Module.NameTensors"/>) on creation.
/// </summary>
public static class ModelZoo
{
    private const int Mnist = 28, Cifar = 32;

    /// <summary>Every registered model, in display order.</summary>
    public static IReadOnlyList<ModelInfo> All { get; } =
    [
        new("lenet300", "LeNet-300-100 (LeCun et al. 1998): MLP 300-100, biases; Sparse Momentum §2.9", 1, Mnist,
            s => new LeNet300100(s.Rng, s.InChannels * s.InputSize * s.InputSize, s.Classes, s.Bias ?? true, s.WidthMultiplier)),
        new("lenet5", "LeNet-5-Caffe: conv 20-50 5×5 + FC 500, biases; Sparse Momentum §2.9", 1, Mnist,
            s => new LeNet5Caffe(s.Rng, s.InChannels, s.InputSize, s.Classes)),
        ConvN(2), ConvN(4), ConvN(6), ConvN(8),
        new("vgg16", "VGG-16 + BN, CIFAR form with a Linear(512→classes) classifier (Simonyan & Zisserman 2015)", 3, Cifar,
            s => new Vgg16(s.Rng, s.InChannels, s.InputSize, s.Classes)),
        Snip("vgg-c", VggSnipVariant.C, "VGG16-C (SNIP, Lee et al. 2019): 1×1 convs with padding 1 (reference quirk), FC 512-512 + BN1d"),
        Snip("vgg-d", VggSnipVariant.D, "VGG16-D (SNIP, Lee et al. 2019): 13 convs 3×3 + BN, FC 512-512 + BN1d"),
        Snip("vgg-like", VggSnipVariant.Like, "VGG-like (SNIP, Lee et al. 2019): VGG16-D features, FC 512 + BN1d"),
        ResNet(20, "CS reference model (Savarese et al. 2020; 'ResNet-18' in its README)"),
        ResNet(32, "same blocks as the CS ResNet-20"),
        ResNet(56, "same blocks as the CS ResNet-20"),
        Wrn(16, 8),
        Wrn(28, 2),
        new("fc", "FC (edge-popup/biprop): LeNet-300-100 without biases, hidden widths × width multiplier (Ramanujan et al. 2020)", 1, Mnist,
            s => new LeNet300100(s.Rng, s.InChannels * s.InputSize * s.InputSize, s.Classes, s.Bias ?? false, s.WidthMultiplier)),
        new("fc-binact", "FC_BinAct (MPT-1/1 on FC): bias-free LeNet-300-100 with BN → sign activations (Conv-N_BinAct classifier pattern; not in the reference)", 1, Mnist,
            s => new FcBinAct(s.Rng, s.InChannels * s.InputSize * s.InputSize, s.Classes, s.WidthMultiplier, s.AffineBatchNorm)),
        ConvNBinAct(2), ConvNBinAct(4), ConvNBinAct(6), ConvNBinAct(8),
        VggSmallEntry("vgg-small", VggSmallVariant.Plain, "VGG-Small (biprop MPT-1/32): 128-256-512 bias-free, ReLU only after conv 1 and before the classifier (reference quirk), non-affine BN"),
        VggSmallEntry("vgg-small-binact", VggSmallVariant.BinAct, "VGG-Small_BinAct (biprop MPT-1/1): sign activations, BN after each pooled conv"),
        VggSmallEntry("wide-vgg-small", VggSmallVariant.Wide, "Wide_VGG_Small (biprop MPT-1/1, 1.25× width: 160-320-640): BN → sign after every conv"),
        new("resnet18", "cResNet18 for CIFAR (biprop MPT-1/32): 64-512, 4×2 basic blocks, bias-free, non-affine BN (affine for +BN), 1×1 classifier", 3, Cifar,
            s => new ResNet18Cifar(s.Rng, s.InChannels, s.InputSize, s.Classes, s.WidthMultiplier, s.AffineBatchNorm)),
    ];

    /// <summary>The registered names, in display order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(m => m.Name).ToArray();

    /// <summary>The entry called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No model has that name; the message lists the known names
    /// and suggests the nearest one.</exception>
    public static ModelInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"Unknown model '{name}'.{Winnow.Settings.NameSuggestions.DidYouMean(name, Names)} Known models: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Builds the model called <paramref name="name"/> for <paramref name="spec"/> and names its tensors.</summary>
    /// <exception cref="ArgumentException">The name is unknown (with the nearest name suggested), the spec
    /// has a non-positive size, or the architecture cannot take the input (the message names the
    /// model, the input shape and what the model needs).</exception>
    public static Module Create(string name, ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var info = Get(name);
        if (spec.InChannels < 1 || spec.InputSize < 1 || spec.Classes < 1)
        {
            throw new ArgumentException(
                $"Model '{info.Name}': input {spec.InputShape} with {spec.Classes} classes is invalid; channels, input size and classes must all be ≥ 1 (default input {info.DefaultInputShape}).", nameof(spec));
        }

        ArgumentNullException.ThrowIfNull(spec.Rng, "spec.Rng");
        Module model;
        try
        {
            model = info.Factory(spec);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Model '{info.Name}' cannot take a {spec.InputShape} input: {ex.Message}", nameof(spec), ex);
        }

        model.NameTensors();
        return model;
    }

    private static ModelInfo ConvN(int depth) => new(
        $"conv{depth}",
        $"Conv-{depth} (Frankle & Carbin 2019{(depth == 8 ? "; Conv-8 from Ramanujan et al. 2020" : "")}): {depth / 2} conv pairs 3×3 + FC 256-256, biases, weight-trained",
        3, Cifar,
        s => new ConvNet(depth, s.Rng, s.InChannels, s.InputSize, s.Classes, s.WidthMultiplier, s.Bias ?? true));

    private static ModelInfo ConvNBinAct(int depth) => new(
        $"conv{depth}-binact",
        $"Conv-{depth}_BinAct (biprop MPT-1/1): bias-free Conv-{depth} with BN → sign activations, pooling before BN in each pair",
        3, Cifar,
        s => new ConvNetBinAct(depth, s.Rng, s.InChannels, s.InputSize, s.Classes, s.WidthMultiplier, s.AffineBatchNorm));

    private static ModelInfo VggSmallEntry(string name, VggSmallVariant variant, string description) => new(
        name, description, 3, Cifar, s => new VggSmall(variant, s.Rng, s.InChannels, s.InputSize, s.Classes, s.WidthMultiplier, s.AffineBatchNorm));

    private static ModelInfo Snip(string name, VggSnipVariant variant, string description) => new(
        name, description, 3, Cifar, s => new VggSnip(variant, s.Rng, s.InChannels, s.InputSize, s.Classes));

    private static ModelInfo ResNet(int depth, string note) => new(
        $"resnet{depth}",
        $"ResNet-{depth} for CIFAR (He et al. 2016): 16/32/64 channels, BN-free 1×1 stride-2 shortcuts, Xavier init; {note}",
        3, Cifar,
        s => new ResNetCifar(depth, s.Rng, s.InChannels, s.Classes));

    private static ModelInfo Wrn(int depth, int k) => new(
        $"wrn-{depth}-{k}",
        $"WRN-{depth}-{k} (Zagoruyko & Komodakis 2016): pre-activation blocks, dropout 0.3, fan-out normal init; Sparse Momentum §2.9",
        3, Cifar,
        s => new WideResNet(depth, k, s.Rng, s.InChannels, s.Classes));
}
