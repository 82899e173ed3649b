using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.NN.Models;
using Winnow.NN.Optim;
using Winnow.NN.Schedules;
using Winnow.NN.Training;
using Winnow.Sparsity.Subnetworks;
using Winnow.Testing;

namespace Winnow.Sparsity.Tests.Subnetworks;

public sealed class SubnetworkTests
{
    private static readonly ModelSpec FcSpec = new(1, 6, 4, new Rng(1)) { WidthMultiplier = 0.1 };

    private static Tensor Batch(int n, int c, int s, ulong seed)
    {
        var x = new Tensor(n, c, s, s);
        new Rng(seed).FillNormal(x.Data, 0, 1);
        return x;
    }

    [Fact]
    public void AttachFreezesWeightsAndTrainsOnlyScores()
    {
        var model = ModelZoo.Create("fc", FcSpec);
        var subnet = Subnetwork.Attach(model, new SubnetOptions { KeepFraction = 0.5 });
        Assert.All(model.Parameters(), p => Assert.False(p.RequiresGrad));
        Assert.Equal(["fc1.weight", "fc2.weight", "fc3.weight"], subnet.Masks.Select(m => m.Name).ToArray());
        Assert.Equal(3, subnet.TrainableParameters.Count());
        var before = model.Parameters().Select(p => p.Data.ToArray()).ToList();
        var opt = subnet.CreateSgd(0.1, 0.9, 1e-4);
        Ops.CrossEntropy(model.Forward(Batch(8, 1, 6, 2)), new[] { 0, 1, 2, 3, 0, 1, 2, 3 }).Backward();
        opt.Step();
        Assert.Equal(before, model.Parameters().Select(p => p.Data.ToArray()).ToList());
        Assert.NotNull(subnet.Masks[0].Scores.Grad);
    }

    [Fact]
    public void SgdPutsParametersNamedBnInTheirOwnGroupAndAdamHasNoDecay()
    {
        var model = ModelZoo.Create("resnet18", new ModelSpec(3, 32, 10, new Rng(1)) { WidthMultiplier = 0.0625, AffineBatchNorm = true });
        var subnet = Subnetwork.Attach(model, new SubnetOptions { KeepFraction = 0.5, LearnBatchNorm = true });
        var sgd = subnet.CreateSgd(0.1, 0.9, 5e-4, noBnDecay: true);
        var bn = sgd.Groups.Single(g => g.Name == "bn");
        Assert.Equal(0, bn.WeightDecay);
        Assert.All(bn.Parameters, p => Assert.Contains("bn", p.Name));
        Assert.Equal(5e-4, sgd.Groups.Single(g => g.Name == "rest").WeightDecay);

        // BN in a shortcut Sequential is named by index ("shortcut.1"), so it lands in "rest" — the reference's pitfall.
        Assert.Contains(sgd.Groups.Single(g => g.Name == "rest").Parameters, p => p.Name!.Contains("shortcut.1", StringComparison.Ordinal));
        var adam = subnet.CreateAdam(0.1);
        Assert.All(adam.Groups, g => Assert.Equal(0, g.WeightDecay));
    }

    [Theory]
    [InlineData(false, false, false, true, false, false)] // scores only (the default)
    [InlineData(true, false, false, true, true, true)] // --learn-batchnorm: scores + γ/β
    [InlineData(false, false, true, true, false, true)] // --bn-bias-only: scores + β
    [InlineData(true, true, false, false, true, true)] // --learn-batchnorm --tune-batchnorm: γ/β only
    [InlineData(false, true, false, false, true, true)] // --tune-batchnorm alone: the same
    [InlineData(false, true, true, false, false, true)] // --bn-bias-only --tune-batchnorm: β only
    public void OptimizerUpdatesExactlyTheParametersTheFreezingRoutineLeaves(bool learn, bool tune, bool biasOnly, bool scores, bool gamma, bool beta)
    {
        var spec = new ModelSpec(1, 8, 4, new Rng(1)) { WidthMultiplier = 0.125, AffineBatchNorm = true };
        var model = ModelZoo.Create("conv2-binact", spec);
        var subnet = Subnetwork.Attach(model, new SubnetOptions { KeepFraction = 0.5, LearnBatchNorm = learn, TuneBatchNorm = tune, BatchNormBiasOnly = biasOnly, Seed = 2 });
        var bns = model.NamedModules().Select(kv => kv.Value).OfType<BatchNorm>().ToList();
        Assert.NotEmpty(bns);
        var gammas = bns.Select(b => b.Weight!).ToList();
        var betas = bns.Select(b => b.Bias!).ToList();
        var weights = subnet.Masks.Select(m => m.Weight).ToList();
        var scoreTensors = subnet.Masks.Select(m => (Tensor)m.Scores).ToList();
        float[][] Snap(IEnumerable<Tensor> ts) => ts.Select(t => t.Data.ToArray()).ToArray();
        var (s0, g0, b0, w0) = (Snap(scoreTensors), Snap(gammas), Snap(betas), Snap(weights));
        Assert.Equal(
            (scores ? scoreTensors.Count : 0) + (gamma ? gammas.Count : 0) + (beta ? betas.Count : 0),
            subnet.TrainableParameters.Count());

        // Plain SGD with weight decay, so even a zero gradient would move a parameter the optimizer holds.
        var opt = subnet.CreateSgd(0.5, 0, 1e-2);
        var x = Batch(6, 1, 8, 3);
        for (int i = 0; i < 2; i++)
        {
            opt.ZeroGrad();
            Ops.CrossEntropy(model.Forward(x), new[] { 0, 1, 2, 3, 0, 1 }).Backward();
            opt.Step();
        }

        void Check(bool trained, float[][] before, List<Tensor> now, string what)
        {
            var after = Snap(now);
            if (trained)
            {
                Assert.True(Enumerable.Range(0, before.Length).Any(i => !before[i].SequenceEqual(after[i])), what + " should have been updated");
            }
            else
            {
                Assert.True(Enumerable.Range(0, before.Length).All(i => before[i].SequenceEqual(after[i])), what + " should be unchanged");
            }
        }

        Check(scores, s0, scoreTensors, "scores");
        Check(gamma, g0, gammas.Cast<Tensor>().ToList(), "BN γ");
        Check(beta, b0, betas.Cast<Tensor>().ToList(), "BN β");
        Check(false, w0, weights, "frozen weights");
    }

    [Fact]
    public void BatchNormOptionsThatCannotWorkAreRefused()
    {
        var both = Assert.Throws<ArgumentException>(() => Subnetwork.Attach(ModelZoo.Create("conv2-binact", new ModelSpec(1, 8, 4, new Rng(1)) { WidthMultiplier = 0.125, AffineBatchNorm = true }), new SubnetOptions { LearnBatchNorm = true, BatchNormBiasOnly = true }));
        Assert.Contains("BatchNormBiasOnly trains β only", both.Message);

        var noBn = Assert.Throws<ArgumentException>(() => Subnetwork.Attach(ModelZoo.Create("fc", FcSpec), new SubnetOptions { TuneBatchNorm = true }));
        Assert.Contains("TuneBatchNorm trains batch-norm parameters, but the model has no affine batch norm", noBn.Message);

        // Non-affine BN (the default build) has no γ/β to train either.
        var nonAffine = Assert.Throws<ArgumentException>(() => Subnetwork.Attach(ModelZoo.Create("conv2-binact", new ModelSpec(1, 8, 4, new Rng(1)) { WidthMultiplier = 0.125 }), new SubnetOptions { BatchNormBiasOnly = true }));
        Assert.Contains("BatchNormBiasOnly", nonAffine.Message);
        Assert.Contains("ModelSpec.AffineBatchNorm", nonAffine.Message);
    }

    [Fact]
    public void NotLearningAbortFiresAtTheEndOfEpochIndexTwo()
    {
        // lr 0 keeps the scores, so predictions are fixed; eval labels = prediction + 1 give 0% accuracy.
        var model = ModelZoo.Create("fc", FcSpec);
        var subnet = Subnetwork.Attach(model, new SubnetOptions { Seed = 3 });
        var x = Batch(8, 1, 6, 4);
        int[] wrong;
        using (Autograd.GradMode.NoGrad())
        {
            var logits = model.Forward(x).Data.ToArray();
            wrong = Enumerable.Range(0, 8).Select(i => (Enumerable.Range(0, 4).MaxBy(c => logits[(i * 4) + c]) + 1) % 4).ToArray();
        }

        var batch = new LabeledBatch(x, wrong);
        var trainer = new Trainer(model, subnet.CreateSgd(0, 0, 0), new TrainerOptions { Epochs = 5 });
        trainer.Hooks.Add(subnet.Hook);
        int epochs = 0;
        trainer.EpochCompleted += _ => epochs++;
        var ex = Assert.Throws<NetworkNotLearningException>(() => trainer.Fit(_ => [batch], 1, () => [batch]));
        Assert.Equal(2, ex.Epoch);
        Assert.Equal(2, epochs);
        Assert.Contains("not learning", ex.Message);

        var off = Subnetwork.Attach(ModelZoo.Create("fc", FcSpec), new SubnetOptions { Seed = 3, AbortIfNotLearning = false });
        var t2 = new Trainer(off.Model, off.CreateSgd(0, 0, 0), new TrainerOptions { Epochs = 4 });
        t2.Hooks.Add(off.Hook);
        Assert.Equal(4, t2.Fit(_ => [batch], 1, () => [batch]).Count);
    }

    [Fact]
    public void WarmupCosineIsTheReferencePolicy()
    {
        var s = new WarmupCosineLr(10, 2);
        Assert.Equal(0.5, s.Factor(0), 12);
        Assert.Equal(1.0, s.Factor(1), 12);
        Assert.Equal(1.0, s.Factor(2), 12);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI * 3 / 8)), s.Factor(5), 12);
        Assert.Equal(1.0, new WarmupCosineLr(4).Factor(0), 12);
    }

    [Theory]
    [InlineData("fc", SubnetMethod.Biprop, false)]
    [InlineData("fc", SubnetMethod.EdgePopup, false)]
    [InlineData("conv2-binact", SubnetMethod.Biprop, true)]
    public void CompactTicketRebuildsBitIdenticalOutputs(string name, SubnetMethod method, bool global)
    {
        var spec = name == "fc" ? FcSpec : new ModelSpec(1, 8, 4, new Rng(1)) { WidthMultiplier = 0.125, AffineBatchNorm = true };
        var model = ModelZoo.Create(name, spec);
        var subnet = Subnetwork.Attach(model, new SubnetOptions { Method = method, KeepFraction = 0.3, Global = global, LearnBatchNorm = name != "fc", Seed = 5 });
        var x = Batch(6, 1, spec.InputSize, 9);
        var opt = subnet.CreateSgd(0.1, 0.9, 0);
        for (int i = 0; i < 3; i++)
        {
            opt.ZeroGrad();
            Ops.CrossEntropy(model.Forward(x), new[] { 0, 1, 2, 3, 0, 1 }).Backward();
            opt.Step();
            subnet.Global?.Update();
        }

        model.Eval();
        var expected = model.Forward(x).Data.ToArray();
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "ticket.wntk");
        CompactTicket.Save(file, subnet, name, spec);
        var (loaded, header) = CompactTicket.Load(file);
        Assert.Equal(name, header.Model);
        TensorAssert.BitIdentical(expected, loaded.Forward(x).Data, "ticket logits");

        var size = SubnetSizeReport.Measure(subnet);
        Assert.Equal(subnet.KeptWeights, size.KeptWeights);
        Assert.True(size.TotalBits < size.DenseFp32Bits);
        // The payload after the JSON header is the size report's bits (α lives in the header) up to byte padding.
        var bytes = File.ReadAllBytes(file);
        long payloadBits = 8L * (bytes.Length - 8 - BitConverter.ToInt32(bytes, 4));
        long expectedBits = size.TotalBits - (method == SubnetMethod.Biprop ? 32L * size.Layers.Count : 0);
        Assert.InRange(payloadBits - expectedBits, 0, 16 * size.Layers.Count);
    }

    [Fact]
    public void DamagedTicketGetsAClearMessage()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "x.wntk");
        File.WriteAllText(file, "not a ticket");
        var ex = Assert.Throws<InvalidDataException>(() => CompactTicket.Load(file));
        Assert.Contains("not a Winnow compact ticket", ex.Message);
    }
}
