using System.Globalization;
using Winnow.NN;
using Winnow.NN.Data;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Schedules;
using Winnow.NN.Training;

namespace Winnow.Cli.Config;

/// <summary>
/// Turns a resolved <see cref="TrainConfig"/> into library objects (data, model, optimizer,
/// schedule), checking every setting with a message that names the option. No training here.
/// </summary>
public sealed class Experiment : IDisposable
{
    private Experiment(TrainConfig config, DatasetInfo data, Dataset train, Dataset eval, Dataset? test, Module model, Optimizer optimizer, ILrSchedule? schedule)
    {
        Config = config;
        Data = data;
        TrainSet = train;
        EvalSet = eval;
        HeldOutTest = test;
        Model = model;
        Optimizer = optimizer;
        Schedule = schedule;
        var norm = data.Spec.Normalization;
        var augment = config.Augment ? new AugmentOptions { CropPadding = train.Height >= 32 ? 4 : 2, Flip = true } : AugmentOptions.None;
        TrainLoader = new DataLoader(train, config.BatchSize, new DataLoaderOptions { Shuffle = true, Seed = config.Seed, Normalization = norm, Augment = augment });
        EvalLoader = new DataLoader(eval, config.EvalBatchSize, new DataLoaderOptions { Shuffle = false, Normalization = norm });
    }

    public TrainConfig Config { get; }

    public DatasetInfo Data { get; }

    public Dataset TrainSet { get; }

    /// <summary>Evaluated every epoch: the validation split if one was asked for, else the test set.</summary>
    public Dataset EvalSet { get; }

    /// <summary>The test set when a validation split is used (evaluated once at the end), else null.</summary>
    public Dataset? HeldOutTest { get; }

    public Module Model { get; }

    public Optimizer Optimizer { get; }

    public ILrSchedule? Schedule { get; }

    public DataLoader TrainLoader { get; }

    public DataLoader EvalLoader { get; }

    /// <summary>Every generator whose state a resume must restore, by a stable name.</summary>
    public IReadOnlyDictionary<string, Rng> Rngs => Model.NamedModules()
        .Where(kv => kv.Value is Dropout)
        .ToDictionary(kv => "dropout." + kv.Key, kv => ((Dropout)kv.Value).Rng);

    /// <summary>Builds everything the config describes.</summary>
    /// <exception cref="CliException">A setting is invalid; the message names it.</exception>
    /// <param name="c">The resolved config.</param>
    /// <param name="adjustSpec">Optional change to the model spec (e.g. `winnow subnet`'s width multiplier and bias-free layers).</param>
    public static Experiment Build(TrainConfig c, Func<ModelSpec, ModelSpec>? adjustSpec = null)
    {
        Check(c.Epochs >= 1, "--epochs", c.Epochs, "at least 1");
        Check(c.BatchSize >= 1, "--batch-size", c.BatchSize, "at least 1");
        Check(c.EvalBatchSize >= 1, "--eval-batch-size", c.EvalBatchSize, "at least 1");
        Check(c.Lr >= 0 && double.IsFinite(c.Lr), "--lr", c.Lr, "a finite number ≥ 0");
        Check(c.Momentum >= 0 && c.Momentum < 1, "--momentum", c.Momentum, "in [0, 1)");
        Check(c.WeightDecay >= 0, "--weight-decay", c.WeightDecay, "≥ 0");
        Check(c.LabelSmoothing >= 0 && c.LabelSmoothing < 1, "--label-smoothing", c.LabelSmoothing, "in [0, 1)");
        Check(c.ValSplit >= 0, "--val-split", c.ValSplit, "≥ 0 (a count, or a fraction below 1)");
        Check(c.Threads >= 0, "--threads", c.Threads, "≥ 0 (0 = all cores)");
        Check(c.WarmupEpochs >= 0, "--warmup-epochs", c.WarmupEpochs, "≥ 0");
        Check(c.Width > 0 && double.IsFinite(c.Width), "--width", c.Width, "a positive number");
        if (!ModelZoo.Names.Contains(c.Model))
        {
            throw new CliException($"Unknown model '{c.Model}'.{Winnow.Settings.NameSuggestions.DidYouMean(c.Model, ModelZoo.Names)} Known models: {string.Join(", ", ModelZoo.Names)} (see `winnow models`).");
        }

        if (!DatasetCatalog.Names.Contains(c.Dataset))
        {
            throw new CliException($"Unknown dataset '{c.Dataset}'.{Winnow.Settings.NameSuggestions.DidYouMean(c.Dataset, DatasetCatalog.Names)} Known datasets: {string.Join(", ", DatasetCatalog.Names)} (see `winnow datasets`).");
        }

        var schedule = BuildSchedule(c);
        var (train, test, info) = DatasetCatalog.Load(c.Dataset, c.Data);
        Dataset eval = test;
        Dataset? heldOut = null;
        if (c.ValSplit > 0)
        {
            (train, eval) = c.ValSplit < 1 ? train.SplitValidation(c.ValSplit, c.Seed) : train.SplitValidation((int)c.ValSplit, c.Seed);
            heldOut = test;
        }

        var rng = new Rng(c.Seed);
        Module model;
        try
        {
            var spec = new ModelSpec(train.Channels, train.Height, train.Classes, rng) { WidthMultiplier = c.Width };
            model = ModelZoo.Create(c.Model, adjustSpec is null ? spec : adjustSpec(spec));
        }
        catch (ArgumentException e)
        {
            throw new CliException($"Model '{c.Model}' does not fit dataset '{c.Dataset}' ({train.Channels}×{train.Height}×{train.Width}, {train.Classes} classes): {Cli.UserMessage(e)}");
        }

        if (train.Height != train.Width)
        {
            throw new CliException($"Dataset '{c.Dataset}' has {train.Height}×{train.Width} images; the model zoo expects square inputs.");
        }

        model.NameTensors();
        return new Experiment(c, info, train, eval, heldOut, model, NewOptimizer(c, model), schedule);
    }

    /// <summary>Evaluates the model on the held-out test set when a validation split is used, else null.</summary>
    public EvalResult? EvaluateHeldOutTest()
    {
        if (HeldOutTest is null)
        {
            return null;
        }

        using var loader = new DataLoader(HeldOutTest, Config.EvalBatchSize, new DataLoaderOptions { Shuffle = false, Normalization = Data.Spec.Normalization });
        return Evaluator.Evaluate(Model, loader.Epoch(0).Select(b => new LabeledBatch(b.Images, b.Labels)));
    }

    /// <summary>A fresh optimizer of the configured kind over <paramref name="model"/>'s parameters (IMP retrains each level with one).</summary>
    public Optimizer CreateOptimizer(Module model) => NewOptimizer(Config, model);

    /// <summary>A freshly initialised model of the configured architecture from <paramref name="seed"/> (the random-reinitialisation control).</summary>
    public Module CreateModel(ulong seed) => ModelZoo.Create(Config.Model, new ModelSpec(TrainSet.Channels, TrainSet.Height, TrainSet.Classes, new Rng(seed)) { WidthMultiplier = Config.Width });

    /// <summary>A copy of the first training batch of epoch 0 (SNIP's scoring mini-batch), safe to keep after the loader moves on.</summary>
    public LabeledBatch ScoringBatch()
    {
        foreach (var b in TrainLoader.Epoch(0))
        {
            return new LabeledBatch(b.Images.Clone(), b.Labels.ToArray());
        }

        throw new CliException($"The training set of '{Config.Dataset}' is empty; SNIP needs one mini-batch to score the weights.");
    }

    private static Optimizer NewOptimizer(TrainConfig c, Module model) => c.Optimizer.ToLowerInvariant() switch
    {
        "sgd" => new Sgd(model.Parameters(), c.Lr, c.Momentum, nesterov: c.Nesterov, weightDecay: c.WeightDecay),
        "adam" => new Adam(model.Parameters(), c.Lr, weightDecay: c.WeightDecay),
        _ => throw new CliException($"Unknown --optimizer '{c.Optimizer}'.{Winnow.Settings.NameSuggestions.DidYouMean(c.Optimizer, ["sgd", "adam"])} Use sgd or adam."),
    };

    /// <summary>Trainer options for this experiment.</summary>
    public TrainerOptions TrainerOptions => new() { Epochs = Config.Epochs, LabelSmoothing = (float)Config.LabelSmoothing, Schedule = Schedule };

    /// <summary>Training batches of an epoch, as the trainer consumes them.</summary>
    public IEnumerable<LabeledBatch> TrainBatches(int epoch) => TrainLoader.Epoch(epoch).Select(b => new LabeledBatch(b.Images, b.Labels));

    /// <summary>Evaluation batches (fixed order).</summary>
    public IEnumerable<LabeledBatch> EvalBatches() => EvalLoader.Epoch(0).Select(b => new LabeledBatch(b.Images, b.Labels));

    public void Dispose()
    {
        TrainLoader.Dispose();
        EvalLoader.Dispose();
    }

    private static ILrSchedule? BuildSchedule(TrainConfig c)
    {
        ILrSchedule? s = c.Schedule.ToLowerInvariant() switch
        {
            "none" or "" => null,
            "step" => new StepLr(c.StepSize, c.Gamma),
            "multistep" => new MultiStepLr(ParseMilestones(c.Milestones), c.Gamma),
            "cosine" => new CosineAnnealingLr(Math.Max(1, c.Epochs - c.WarmupEpochs)),
            _ => throw new CliException($"Unknown --schedule '{c.Schedule}'.{Winnow.Settings.NameSuggestions.DidYouMean(c.Schedule, ["none", "step", "multistep", "cosine"])} Use none, step, multistep or cosine."),
        };
        if (c.WarmupEpochs > 0)
        {
            s = new LinearWarmup(c.WarmupEpochs, s ?? new ConstantLr());
        }

        return s;
    }

    private static int[] ParseMilestones(string text)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new CliException($"--milestones '{text}' must be comma-separated epoch numbers, e.g. 30,60,80.");
        }
    }

    private static void Check(bool ok, string option, object value, string expected)
    {
        if (!ok)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{option} {value} is invalid: expected {expected}."));
        }
    }
}
