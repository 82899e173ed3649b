using Winnow.NN.Models;
using Winnow.NN.Serialization;
using Winnow.Sparsity.LotteryTicket;
using Winnow.Sparsity.Masks;

namespace Winnow.Cli.Tests;

[Collection("Cli")]
public sealed class SparsityBadInputTests : SparsityRuns
{
    [Theory]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("-0.1")]
    public void DensityOutsideZeroOneIsRejected(string density)
        => Fails(Args("prune", "x", "--density", density), $"--density {density} is invalid: expected a kept fraction in (0, 1]");

    [Fact]
    public void SparsityOutsideZeroOneOrTogetherWithDensityIsRejected()
    {
        Fails(Args("prune", "x", "--sparsity", "1"), "--sparsity 1 is invalid: expected a pruned fraction in [0, 1)");
        Fails(Args("prune", "x", "--sparsity", "0.9", "--density", "0.1"), "--density or --sparsity, not both");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-0.2")]
    public void PruneFractionOutsideZeroOneIsRejected(string f)
        => Fails(Args("lottery", "x", "--prune-fraction", f), $"--prune-fraction {f} is invalid: expected a fraction of the remaining weights in [0, 1)");

    [Fact]
    public void UnknownNamesGetTheNearestSuggestion()
    {
        Fails(Args("prune", "x", "--criterion", "magnitud"), "Unknown --criterion 'magnitud'.", "Did you mean 'magnitude'?", "magnitude, random, snip");
        Fails(Args("prune", "x", "--distribution", "globl"), "Unknown --distribution 'globl'.", "Did you mean 'global'?", "uniform, er, erk, global");
        Fails(Args("prune", "x", "--when", "gradul"), "Unknown --when 'gradul'.", "Did you mean 'gradual'?");
        Fails(Args("lottery", "x", "--mode", "rewnd"), "Unknown --mode 'rewnd'.", "Did you mean 'rewind'?");
        Fails(Args("lottery", "x", "--ignore-last-layer", "maybe"), "Unknown --ignore-last-layer 'maybe'.", "auto, true or false");
        Fails(Args("prune", "x", "--exclude", "fc3.wieght"), "'fc3.wieght' is not a conv or linear weight", "Did you mean 'fc3.weight'?");
    }

    [Fact]
    public void BadRewindPointsSayWhatIsExpected()
    {
        Fails(Args("lottery", "x", "--rewind", "3x"), "--rewind '3x' is not a training point", "Nep");
        Fails(Args("lottery", "x", "--rewind", "5ep"), "--rewind 5ep is invalid", "must be before the end of training (12 steps");
    }

    [Fact]
    public void InconsistentPruneModesAreExplained()
    {
        Fails(Args("prune", "x", "--when", "trained"), "--when trained needs --from");
        Fails(Args("prune", "x", "--when", "gradual", "--criterion", "snip"), "--when gradual prunes by magnitude");
        Fails(Args("prune", "x", "--from", Dir("nowhere")), "--from", "no checkpoint there");
        Fails(Args("prune", "x", "--when", "init", "--finetune-epochs", "2"), "--finetune-epochs applies to --when trained");
        Directory.CreateDirectory(Runs);
        string trained = Path.Combine(Runs, "trained.safetensors");
        Checkpoint.Save(trained, new LeNet300100(new Rng(1)), metadata: new Dictionary<string, string> { ["model"] = "lenet300" });
        Fails(Args("prune", "x", "--from", trained), "give its length with --finetune-epochs N, not --epochs");
        Fails(Args("prune", "x", "--from", trained, "--epochs", "<drop>", "--model", "lenet5"), "--model lenet5 does not match --from", "which holds a lenet300");
    }

    [Fact]
    public void MaskFilesOfAnotherModelAreRejected()
    {
        Directory.CreateDirectory(Runs);
        var lenet5 = new LeNet5Caffe(new Rng(1));
        string file = Path.Combine(Runs, "lenet5-masks.safetensors");
        Checkpoint.Save(file, lenet5, metadata: new Dictionary<string, string> { ["model"] = "lenet5" }, extras: MaskCheckpoint.ToExtras(new MaskSet(lenet5)));
        Fails(Args("prune", "x", "--masks", file), $"--masks '{file}' holds masks for a lenet5, but this run uses lenet300");

        // Without a recorded model the shapes and names give it away, still naming the file.
        string anonymous = Path.Combine(Runs, "anonymous.safetensors");
        Checkpoint.Save(anonymous, lenet5, extras: MaskCheckpoint.ToExtras(new MaskSet(lenet5)));
        Fails(Args("prune", "x", "--masks", anonymous), anonymous, "'conv1.weight' is not a conv or linear weight of this model");

        string lenet300 = Path.Combine(Runs, "lenet300.safetensors");
        Checkpoint.Save(lenet300, new LeNet300100(new Rng(1)), metadata: new Dictionary<string, string> { ["model"] = "lenet300" }, extras: MaskCheckpoint.ToExtras(new MaskSet(new LeNet300100(new Rng(1)))));
        Fails(["info", file, "--compare", lenet300], "masks can only be compared between checkpoints of the same model");
        Fails(Args("prune", "x", "--masks", Path.Combine(Runs, "missing")), "--masks", "no checkpoint there");
    }

    [Fact]
    public void SettingsOfAnotherVerbAreRejectedInConfigFiles()
    {
        string cfg = Path.Combine(Data, "wrong.yaml");
        File.WriteAllText(cfg, "levels: 3\n");
        Fails(Args("prune", "x", "--config", cfg), "setting 'levels' belongs to `winnow lottery`, not `winnow prune`");
        Fails(["train", "--config", cfg, "--data", Data], "setting 'levels' belongs to `winnow lottery`, not `winnow train`");
    }
}
