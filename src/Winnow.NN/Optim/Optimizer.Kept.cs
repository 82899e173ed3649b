using Winnow.Kernels;

namespace Winnow.NN.Optim;

public abstract partial class Optimizer
{
    private readonly Dictionary<Parameter, KeptIndex> _kept = new(ReferenceEqualityComparer.Instance);

    /// <summary>True when the optimizer implements the step over kept positions (<see cref="SetKeptPattern"/>).</summary>
    public virtual bool SupportsKeptStep => false;

    /// <summary>
    /// Restricts the updates of <paramref name="parameter"/> to the kept positions of
    /// <paramref name="pattern"/> (W viewed as (Rows, Cols), row-major), or restores the dense update
    /// when <paramref name="pattern"/> is null. The pattern is read at every step, so rebuilding it
    /// (<see cref="SparsePattern.Rebuild"/>) after a mask change takes effect at the next step.
    /// </summary>
    /// <remarks>
    /// The kept step reads and writes the weights and the optimizer state at kept positions only, with
    /// the same element-wise operations in the same order as the dense step, so there the results are
    /// bit-identical. It equals "dense step, then re-mask" as long as the state at pruned positions is
    /// never read: the dense step would keep changing it there (momentum of pruned weights decays by μ
    /// and takes their gradient), the kept step leaves it as it was. Pruned weights are left untouched,
    /// so they stay zero without re-masking. The caller (e.g. the sparse-execution hook) decides when
    /// that holds; Sparse Momentum, which reads the momentum of zero weights, keeps the dense step.
    /// </remarks>
    /// <exception cref="ArgumentException">The parameter is not managed, or the pattern's Rows·Cols is not its length.</exception>
    /// <exception cref="NotSupportedException">This optimizer has no kept step (<see cref="SupportsKeptStep"/> is false).</exception>
    public void SetKeptPattern(Parameter parameter, SparsePattern? pattern) => SetKept(parameter, pattern, denseState: false);

    /// <summary>True when the optimizer implements the kept write (<see cref="SetKeptWritePattern"/>).</summary>
    public virtual bool SupportsKeptWrite => false;

    /// <summary>
    /// Keeps the dense update of <paramref name="parameter"/>'s optimizer state (every position, exactly as
    /// the dense step) but writes the weights at the kept positions of <paramref name="pattern"/> only, or
    /// restores the dense update when <paramref name="pattern"/> is null.
    /// </summary>
    /// <remarks>
    /// For methods that read the state of pruned weights (Sparse Momentum's momentum growth and
    /// redistribution, SET keeping regrown weights' momentum): the state is the dense step's, bit for bit,
    /// and the kept weights too; pruned weights, which the dense step would move and re-masking would zero
    /// again, are left at zero. So it equals "dense step, then re-mask" whenever pruned weights are zero
    /// before the step, and the re-mask can be skipped (one pass over the weights less, and none over the mask).
    /// </remarks>
    /// <exception cref="ArgumentException">The parameter is not managed, or the pattern's Rows·Cols is not its length.</exception>
    /// <exception cref="NotSupportedException">This optimizer has no kept write (<see cref="SupportsKeptWrite"/> is false).</exception>
    public void SetKeptWritePattern(Parameter parameter, SparsePattern? pattern) => SetKept(parameter, pattern, denseState: true);

    private void SetKept(Parameter parameter, SparsePattern? pattern, bool denseState)
    {
        CheckManaged(parameter);
        if (pattern is null)
        {
            _kept.Remove(parameter);
            return;
        }

        if (denseState ? !SupportsKeptWrite : !SupportsKeptStep)
        {
            throw new NotSupportedException(denseState
                ? $"{GetType().Name} has no kept write (dense state, weights written at kept positions); leave its parameters dense (SetKeptWritePattern(parameter, null))."
                : $"{GetType().Name} has no step over kept positions; leave its parameters dense (SetKeptPattern(parameter, null)).");
        }

        if ((long)pattern.Rows * pattern.Cols != parameter.Length)
        {
            throw new ArgumentException(
                $"{GetType().Name}: the kept pattern ({pattern.Rows}, {pattern.Cols}) does not cover parameter '{parameter.Name ?? "(unnamed)"}' {Tensor.ShapeString(parameter.Shape)} ({parameter.Length} elements); build the pattern from this parameter's mask.",
                nameof(pattern));
        }

        _kept[parameter] = new KeptIndex(pattern) { DenseState = denseState };
    }

    /// <summary>The pattern set for <paramref name="parameter"/> by <see cref="SetKeptPattern"/>, or null (dense step).</summary>
    public SparsePattern? KeptPattern(Parameter parameter) => _kept.GetValueOrDefault(parameter)?.Pattern;

    /// <summary>
    /// Updates <paramref name="parameter"/> at the flat positions <paramref name="kept"/> only (increasing),
    /// exactly as <see cref="Update"/> would there. Only called when <see cref="SupportsKeptStep"/> is true.
    /// </summary>
    protected virtual void UpdateKept(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad, ReadOnlySpan<int> kept) =>
        throw new NotSupportedException($"{GetType().Name} has no step over kept positions.");

    /// <summary>
    /// Updates the state of <paramref name="parameter"/> at every position exactly as <see cref="Update"/>,
    /// and its weights at the flat positions <paramref name="kept"/> only. Only called when
    /// <see cref="SupportsKeptWrite"/> is true.
    /// </summary>
    protected virtual void UpdateKeptWrite(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad, ReadOnlySpan<int> kept) =>
        throw new NotSupportedException($"{GetType().Name} has no kept write.");

    /// <summary>dst[j] = src[kept[j]].</summary>
    protected static void Gather(ReadOnlySpan<float> src, ReadOnlySpan<int> kept, Span<float> dst)
    {
        for (int j = 0; j < kept.Length; j++)
        {
            dst[j] = src[kept[j]];
        }
    }

    /// <summary>dst[kept[j]] = src[j].</summary>
    protected static void Scatter(ReadOnlySpan<float> src, ReadOnlySpan<int> kept, Span<float> dst)
    {
        for (int j = 0; j < kept.Length; j++)
        {
            dst[kept[j]] = src[j];
        }
    }

    private void StepParameter(ParamGroup group, Parameter parameter, ReadOnlySpan<float> grad)
    {
        if (_kept.Count != 0 && _kept.TryGetValue(parameter, out var kept))
        {
            if (kept.DenseState)
            {
                UpdateKeptWrite(group, parameter, grad, kept.Indices());
            }
            else
            {
                UpdateKept(group, parameter, grad, kept.Indices());
            }
        }
        else
        {
            Update(group, parameter, grad);
        }
    }

    /// <summary>Flat positions (r·Cols + c) of a pattern's kept entries, rebuilt when the pattern's version changes.</summary>
    private sealed class KeptIndex(SparsePattern pattern)
    {
        private int[] _flat = [];
        private int _version = -1;

        public SparsePattern Pattern { get; } = pattern;

        /// <summary>True for the kept write (dense state), false for the kept step.</summary>
        public bool DenseState { get; init; }

        public ReadOnlySpan<int> Indices()
        {
            if (_version != Pattern.Version)
            {
                int nnz = Pattern.NonZeros, cols = Pattern.Cols;
                if (_flat.Length < nnz)
                {
                    _flat = new int[nnz];
                }

                var rowPtr = Pattern.RowPtr;
                var colIdx = Pattern.ColIdx;
                for (int r = 0; r < Pattern.Rows; r++)
                {
                    for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++)
                    {
                        _flat[p] = (r * cols) + colIdx[p];
                    }
                }

                _version = Pattern.Version;
            }

            return _flat.AsSpan(0, Pattern.NonZeros);
        }
    }
}
