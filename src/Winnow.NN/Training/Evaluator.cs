using System.Diagnostics;
using Winnow.Autograd;

namespace Winnow.NN.Training;

/// <summary>Runs a model over labelled batches in evaluation mode without recording gradients.</summary>
public static class Evaluator
{
    /// <summary>
    /// Mean cross-entropy and top-1 accuracy over all batches. The model is put in eval mode and
    /// restored to its previous mode afterwards; sparse weights gather their kept values once for the
    /// whole evaluation (<see cref="FrozenSparseValues"/>).
    /// </summary>
    public static EvalResult Evaluate(Module model, IEnumerable<LabeledBatch> batches, CancellationToken cancellation = default)
    {
        bool wasTraining = model.Training;
        model.Eval();
        var sw = Stopwatch.StartNew();
        double lossSum = 0;
        long correct = 0;
        int samples = 0, forwardSamples = 0;
        long forwardTicks = 0;
        try
        {
            using var noGrad = GradMode.NoGrad();
            using var frozen = FrozenSparseValues.Freeze(model);
            foreach (var batch in batches)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = TensorScope.Begin();
                long start = Stopwatch.GetTimestamp();
                var logits = model.Forward(batch.Images);
                int n = batch.Labels.Length;
                if (samples > 0)
                {
                    forwardTicks += Stopwatch.GetTimestamp() - start;
                    forwardSamples += n;
                }

                lossSum += (double)Ops.CrossEntropy(logits, batch.Labels).Item() * n;
                correct += Ops.CountCorrect(logits, batch.Labels.Span);
                samples += n;
            }
        }
        finally
        {
            model.Train(wasTraining);
        }

        return samples == 0
            ? new EvalResult(double.NaN, double.NaN, 0, sw.Elapsed.TotalSeconds)
            : new EvalResult(lossSum / samples, (double)correct / samples, samples, sw.Elapsed.TotalSeconds,
                forwardSamples, (double)forwardTicks / Stopwatch.Frequency);
    }
}
