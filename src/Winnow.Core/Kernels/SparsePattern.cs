namespace Winnow.Kernels;

/// <summary>
/// The kept positions of a weight matrix W (Rows, Cols) — a Linear weight (out, in) or a Conv2d
/// weight flattened to (O, C·KH·KW) — in two compressed indexes over the same non-zeros:
/// CSR (<see cref="RowPtr"/>, <see cref="ColIdx"/>) for the forward pass y = W·x and the sampled
/// weight gradient, and CSC (<see cref="ColPtr"/>, <see cref="RowIdx"/>) for the input gradient
/// dx = Wᵀ·dy. Only positions are stored: values are gathered from the dense weight by
/// <see cref="Gather"/> before each use, so the optimizer keeps updating the dense parameter and the
/// pattern changes only when the mask does (Sparse Momentum, SET and RigL update masks once per
/// epoch or every ΔT steps; <see cref="Rebuild"/> then costs one pass over the mask and reuses arrays).
/// </summary>
/// <remarks>
/// The kernels that use a pattern compute with W ⊙ M, so they equal the dense product only when the
/// dense weight is zero outside the mask — which hard masks guarantee (they re-apply after each step).
/// Within a row, columns are increasing; within a column, rows are increasing.
/// </remarks>
public sealed class SparsePattern
{
    private int[] _rowPtr, _colIdx, _colPtr, _rowIdx, _cscToCsr;
    private float[] _csrValues, _cscValues;

    /// <summary>Builds the pattern of the non-zero entries of <paramref name="mask"/> (Rows, Cols), row-major.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="ArgumentException">The mask does not have Rows·Cols entries.</exception>
    public SparsePattern(int rows, int cols, ReadOnlySpan<float> mask)
    {
        if (rows <= 0 || cols <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"SparsePattern needs a positive shape; got ({rows}, {cols}).");
        }

        Rows = rows;
        Cols = cols;
        _rowPtr = new int[rows + 1];
        _colPtr = new int[cols + 1];
        _colIdx = _rowIdx = _cscToCsr = [];
        _csrValues = _cscValues = [];
        Rebuild(mask);
    }

    /// <summary>Rows of W (output features or channels).</summary>
    public int Rows { get; }

    /// <summary>Columns of W (input features, or C·KH·KW).</summary>
    public int Cols { get; }

    /// <summary>Kept entries.</summary>
    public int NonZeros { get; private set; }

    /// <summary>Kept fraction, NonZeros / (Rows·Cols).</summary>
    public double Density => (double)NonZeros / ((long)Rows * Cols);

    /// <summary>Incremented by every <see cref="Rebuild"/>, so callers can tell a changed pattern.</summary>
    public int Version { get; private set; }

    /// <summary>CSR row starts (Rows + 1).</summary>
    public ReadOnlySpan<int> RowPtr => _rowPtr;

    /// <summary>CSR column of each kept entry (NonZeros).</summary>
    public ReadOnlySpan<int> ColIdx => _colIdx.AsSpan(0, NonZeros);

    /// <summary>CSC column starts (Cols + 1).</summary>
    public ReadOnlySpan<int> ColPtr => _colPtr;

    /// <summary>CSC row of each kept entry (NonZeros).</summary>
    public ReadOnlySpan<int> RowIdx => _rowIdx.AsSpan(0, NonZeros);

    /// <summary>Values in CSR order, as of the last <see cref="Gather"/>.</summary>
    public ReadOnlySpan<float> CsrValues => _csrValues.AsSpan(0, NonZeros);

    /// <summary>The CSR value array for kernels that gather into it themselves (<see cref="SparseKernels.LinearForward"/>).</summary>
    internal Span<float> CsrValuesBuffer => _csrValues.AsSpan(0, NonZeros);

    /// <summary>The CSC value array for kernels that fill it themselves (<see cref="SparseKernels.LinearInputGradient"/>).</summary>
    internal Span<float> CscValuesBuffer => _cscValues.AsSpan(0, NonZeros);

    /// <summary>For each CSC position q, the CSR position of the same entry (NonZeros).</summary>
    public ReadOnlySpan<int> CscToCsr => _cscToCsr.AsSpan(0, NonZeros);

    /// <summary>Values in CSC order, as of the last <see cref="Gather"/>.</summary>
    public ReadOnlySpan<float> CscValues => _cscValues.AsSpan(0, NonZeros);

    /// <summary>Re-reads the kept positions from <paramref name="mask"/>, reusing the arrays when they are large enough.</summary>
    /// <exception cref="ArgumentException">The mask does not have Rows·Cols entries.</exception>
    public void Rebuild(ReadOnlySpan<float> mask)
    {
        if (mask.Length != (long)Rows * Cols)
        {
            throw new ArgumentException($"SparsePattern ({Rows}, {Cols}) needs a mask of {(long)Rows * Cols} entries; got {mask.Length}.", nameof(mask));
        }

        int nnz = 0;
        Array.Clear(_colPtr);
        for (int r = 0; r < Rows; r++)
        {
            _rowPtr[r] = nnz;
            var row = mask.Slice(r * Cols, Cols);
            for (int c = 0; c < row.Length; c++)
            {
                if (row[c] != 0f)
                {
                    nnz++;
                    _colPtr[c + 1]++;
                }
            }
        }

        _rowPtr[Rows] = nnz;
        if (_colIdx.Length < nnz)
        {
            _colIdx = new int[nnz];
            _rowIdx = new int[nnz];
            _cscToCsr = new int[nnz];
            _csrValues = new float[nnz];
            _cscValues = new float[nnz];
        }

        for (int c = 0; c < Cols; c++)
        {
            _colPtr[c + 1] += _colPtr[c];
        }

        // Rows are visited in order, so each column's rows come out increasing.
        Span<int> next = Cols <= 4096 ? stackalloc int[Cols] : new int[Cols];
        _colPtr.AsSpan(0, Cols).CopyTo(next);
        int p = 0;
        for (int r = 0; r < Rows; r++)
        {
            var row = mask.Slice(r * Cols, Cols);
            for (int c = 0; c < row.Length; c++)
            {
                if (row[c] != 0f)
                {
                    _cscToCsr[next[c]] = p;
                    _rowIdx[next[c]++] = r;
                    _colIdx[p++] = c;
                }
            }
        }

        NonZeros = nnz;
        Version++;
    }

    /// <summary>Copies the kept entries of the dense <paramref name="weight"/> (Rows, Cols) into <see cref="CsrValues"/> and <see cref="CscValues"/>.</summary>
    /// <exception cref="ArgumentException">The weight does not have Rows·Cols entries.</exception>
    public void Gather(ReadOnlySpan<float> weight)
    {
        GatherCsr(weight);
        GatherCscFromCsr();
    }

    /// <summary>
    /// Copies the kept entries of the dense <paramref name="weight"/> (Rows, Cols) into <see cref="CsrValues"/> only:
    /// the forward pass needs no more, and the CSC copy (a column-strided walk over the whole weight) is then
    /// made by <see cref="GatherCscFromCsr"/> only when an input gradient is wanted.
    /// </summary>
    /// <exception cref="ArgumentException">The weight does not have Rows·Cols entries.</exception>
    public void GatherCsr(ReadOnlySpan<float> weight)
    {
        if (weight.Length != (long)Rows * Cols)
        {
            throw new ArgumentException($"SparsePattern ({Rows}, {Cols}) needs a weight of {(long)Rows * Cols} entries; got {weight.Length}.", nameof(weight));
        }

        for (int r = 0, p = 0; r < Rows; r++)
        {
            var row = weight.Slice(r * Cols, Cols);
            for (int end = _rowPtr[r + 1]; p < end; p++)
            {
                _csrValues[p] = row[_colIdx[p]];
            }
        }
    }

    /// <summary>
    /// Fills <see cref="CscValues"/> from the current <see cref="CsrValues"/> through a CSC→CSR position map
    /// built by <see cref="Rebuild"/> (reads the small value array, not the dense weight).
    /// </summary>
    public void GatherCscFromCsr()
    {
        var map = _cscToCsr.AsSpan(0, NonZeros);
        var csc = _cscValues.AsSpan(0, NonZeros);
        for (int q = 0; q < map.Length; q++)
        {
            csc[q] = _csrValues[map[q]];
        }
    }
}
