using Winnow.Kernels;
using Winnow.NN;
using Winnow.NN.Layers;

namespace Winnow.Sparsity.Execution;

/// <summary>
/// Runs an already sparse model (pruned, a lottery ticket, a sparse-trained checkpoint) on the sparse
/// kernels: every Linear/Conv2d weight's non-zero entries become its <see cref="SparsePattern"/>, so
/// the sparse forward pass computes exactly the dense one up to summation order. For inference and
/// fine-tuning that keeps zeros zero (the pattern is fixed; re-attach after weights change sparsity).
/// </summary>
public static class SparseInference
{
    /// <summary>
    /// Attaches a <see cref="SparseWeight"/> to every Linear/Conv2d layer without a weight transform
    /// whose policy says sparse for its density of non-zeros (or, for a Linear left dense only for its
    /// size, sparse inside a fused inference chain: <see cref="SparseWeight.InChains"/>); detaches it from
    /// the others.
    /// Returns (dotted weight name, density, runs sparse, runs sparse only inside a fused chain) per layer.
    /// </summary>
    public static IReadOnlyList<(string Name, double Density, bool Sparse, bool ChainOnly)> Attach(Module model, SparseKernelMode mode = SparseKernelMode.Auto, SparseExecutionPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        policy ??= new SparseExecutionPolicy();
        var result = new List<(string, double, bool, bool)>();
        foreach (var (name, module) in model.NamedModules())
        {
            Parameter? weight = module switch
            {
                Linear { WeightTransform: null } l => l.Weight,
                Conv2d { WeightTransform: null } c => c.Weight,
                _ => null,
            };
            if (weight is null)
            {
                continue;
            }

            var pattern = new SparsePattern(weight.Dim(0), weight.Length / weight.Dim(0), weight.Data);
            bool sparse = policy.UseSparse(mode, weight.Length, pattern.Density, module is Conv2d);
            bool inChains = module is Linear && policy.UseSparseInChain(mode, pattern.Density);
            var sw = sparse || inChains ? new SparseWeight(pattern) { Enabled = sparse, InChains = inChains } : null;
            if (module is Linear lin)
            {
                lin.Sparse = sw;
            }
            else
            {
                ((Conv2d)module).Sparse = sw;
            }

            result.Add((name.Length == 0 ? "weight" : name + ".weight", pattern.Density, sparse, !sparse && inChains));
        }

        return result;
    }
}
