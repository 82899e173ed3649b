using Winnow.Autograd;
using Winnow.NN;
using Winnow.NN.Layers;
using Winnow.Sparsity.Masks;

namespace Winnow.Sparsity.Pruning;

/// <summary>
/// SNIP connection sensitivity (Lee, Ajanthan &amp; Torr, ICLR 2019; ALGORITHMS.md §4.3):
/// s_j = |w_j · ∂L/∂w_j|, from ONE forward/backward of the cross-entropy L (batch mean) on one
/// mini-batch at the current weights — the derivative ∂L(c⊙w)/∂c_j at c = 1.
/// <para>
/// The paper normalises by Σ_k |g_k|; a positive constant common to all tensors changes no ranking,
/// per layer or global, so it is left out. SNIP keeps the top κ = d·N globally
/// (<see cref="Distributions.GlobalDistribution"/>); RigL's port scores the same way with a uniform
/// or ERK per-layer distribution.
/// </para>
/// <para>
/// The sensitivities of every conv/linear weight of the model are computed in the constructor and
/// kept (a snapshot: later weight changes do not alter them). The forward runs in the model's
/// current mode (training mode for SNIP at initialisation: batch statistics, as the reference);
/// the constructor leaves the model as it found it: no gradients (<see cref="Module.ZeroGrad"/>
/// before and after, so gradients present before are dropped), weights untouched, BN running
/// statistics and dropout generators restored.
/// </para>
/// </summary>
public sealed class SnipCriterion : IPruningCriterion
{
    private readonly Dictionary<Tensor, float[]> _scores = new(ReferenceEqualityComparer.Instance);

    /// <summary>Computes the sensitivities of <paramref name="model"/> on (<paramref name="images"/>, <paramref name="labels"/>).</summary>
    /// <exception cref="ArgumentException">The batch is empty or the label count differs from the batch size.</exception>
    /// <exception cref="InvalidOperationException">Gradient recording is disabled (inside <see cref="GradMode.NoGrad"/>),
    /// or the loss is not finite.</exception>
    public SnipCriterion(Module model, Tensor images, ReadOnlyMemory<int> labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Rank == 0 || images.Dim(0) == 0 || images.Dim(0) != labels.Length)
        {
            throw new ArgumentException(
                $"SNIP needs one non-empty mini-batch with one label per image; got images of shape {Tensor.ShapeString(images.Shape)} and {labels.Length} labels.", nameof(labels));
        }

        if (!GradMode.IsEnabled)
        {
            throw new InvalidOperationException("SNIP needs gradients, but it was called inside GradMode.NoGrad(); compute the criterion outside the no-grad scope.");
        }

        var buffers = model.NamedBuffers().Select(kv => (Tensor: kv.Value, Values: kv.Value.ToArray())).ToArray();
        var dropouts = model.NamedModules().Select(kv => kv.Value).OfType<Dropout>().Select(d => (d.Rng, State: d.Rng.GetState())).ToArray();
        model.ZeroGrad();
        try
        {
            using var scope = TensorScope.Begin();
            var loss = Ops.CrossEntropy(model.Forward(images), labels);
            Loss = loss.Item();
            if (!float.IsFinite(Loss))
            {
                throw new InvalidOperationException($"SNIP: the loss on the scoring batch is {Loss}; sensitivities would be meaningless. Check the input normalisation and the initialisation.");
            }

            loss.Backward();
            foreach (var t in MaskableSelection.Candidates(model))
            {
                var w = t.Weight.Data;
                var s = new float[w.Length];
                if (t.Weight.Grad is { } g)
                {
                    var gd = g.Data;
                    for (int j = 0; j < s.Length; j++)
                    {
                        s[j] = Math.Abs(w[j] * gd[j]);
                    }
                }

                _scores[t.Weight] = s;
            }
        }
        finally
        {
            model.ZeroGrad();
            foreach (var (tensor, values) in buffers)
            {
                values.CopyTo(tensor.Data);
            }

            foreach (var (rng, state) in dropouts)
            {
                rng.SetState(state);
            }
        }
    }

    /// <inheritdoc/>
    public string Name => "snip";

    /// <summary>The cross-entropy of the scoring batch.</summary>
    public float Loss { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not a weight of the model the
    /// sensitivities were computed on, or <paramref name="scores"/> has the wrong length.</exception>
    public void Score(MaskTarget target, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(target);
        CriterionChecks.Length(Name, target, scores);
        if (!_scores.TryGetValue(target.Weight, out var s))
        {
            throw new ArgumentException($"SNIP has no sensitivity for '{target.Name}': it is not a weight of the model the criterion was computed on.", nameof(target));
        }

        s.CopyTo(scores);
    }
}
