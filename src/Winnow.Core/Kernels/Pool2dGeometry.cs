namespace Winnow.Kernels;

/// <summary>
/// Shape of a 2-D max or average pooling in PyTorch's conventions (NCHW, ceil_mode = false,
/// dilation = 1): x (N,C,H,W) → y (N,C,OH,OW) with OH = ⌊(H + 2·PadH − KH) / StrideH⌋ + 1 and
/// OW = ⌊(W + 2·PadW − KW) / StrideW⌋ + 1. As in PyTorch, padding may be at most half the kernel,
/// so every window overlaps the input. Call <see cref="Validate"/> at a boundary.
/// </summary>
public readonly record struct Pool2dGeometry(
    int N, int C, int H, int W, int KH, int KW, int StrideH, int StrideW, int PadH, int PadW)
{
    /// <summary>Output height, ⌊(H + 2·PadH − KH) / StrideH⌋ + 1.</summary>
    public int OH => (H + 2 * PadH - KH) / StrideH + 1;

    /// <summary>Output width, ⌊(W + 2·PadW − KW) / StrideW⌋ + 1.</summary>
    public int OW => (W + 2 * PadW - KW) / StrideW + 1;

    /// <summary>Elements of x: N·C·H·W.</summary>
    public int InputLength => N * C * H * W;

    /// <summary>Elements of y (and of the max-pool argmax): N·C·OH·OW.</summary>
    public int OutputLength => N * C * OH * OW;

    /// <summary>A pooling window of k×k with stride k and no padding (PyTorch's MaxPool2d(k) default).</summary>
    public static Pool2dGeometry Square(int n, int c, int h, int w, int kernel, int stride, int padding = 0) =>
        new(n, c, h, w, kernel, kernel, stride, stride, padding, padding);

    /// <summary>Checks that the geometry describes a computable pooling.</summary>
    /// <exception cref="ArgumentException">
    /// A size, kernel or stride is not positive, a padding is negative or more than half the kernel,
    /// the kernel is larger than the padded input, or a tensor would exceed int.MaxValue elements.
    /// The message names the offending values and what was expected.
    /// </exception>
    public void Validate()
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0)
        {
            throw new ArgumentException($"Pool2d sizes must be positive; got N={N}, C={C}, H={H}, W={W}. Expected x of shape (N,C,H,W), each at least 1.");
        }

        if (KH <= 0 || KW <= 0)
        {
            throw new ArgumentException($"Pool2d kernel must be at least 1x1; got KH={KH}, KW={KW}.");
        }

        if (StrideH <= 0 || StrideW <= 0)
        {
            throw new ArgumentException($"Pool2d stride must be positive; got StrideH={StrideH}, StrideW={StrideW}. PyTorch's default stride is the kernel size.");
        }

        if (PadH < 0 || PadW < 0 || PadH > KH / 2 || PadW > KW / 2)
        {
            throw new ArgumentException(
                $"Pool2d padding must be between 0 and half the kernel; got PadH={PadH} (KH={KH}), PadW={PadW} (KW={KW}). " +
                "Expected 0 <= PadH <= KH/2 and 0 <= PadW <= KW/2.");
        }

        if ((long)KH > (long)H + 2L * PadH || (long)KW > (long)W + 2L * PadW)
        {
            throw new ArgumentException(
                $"Pool2d kernel KH={KH}, KW={KW} is larger than the padded input " +
                $"H+2*PadH={(long)H + 2L * PadH} (H={H}, PadH={PadH}), W+2*PadW={(long)W + 2L * PadW} (W={W}, PadW={PadW}); " +
                "expected KH <= H + 2*PadH and KW <= W + 2*PadW.");
        }

        long outputs = (long)N * C * (((long)H + 2L * PadH - KH) / StrideH + 1) * (((long)W + 2L * PadW - KW) / StrideW + 1);
        if ((long)N * C * H * W > int.MaxValue || outputs > int.MaxValue)
        {
            throw new ArgumentException($"Pool2d tensors would exceed int.MaxValue elements (N={N}, C={C}, H={H}, W={W}); reduce the batch or spatial size.");
        }
    }
}
