namespace Winnow.Kernels;

/// <summary>
/// Shape of a 2-D convolution in PyTorch's conventions (NCHW input, (O,C,KH,KW) weight, zero padding,
/// groups = 1, dilation = 1): x (N,C,H,W) ⋆ w (O,C,KH,KW) → y (N,O,OH,OW) with
/// OH = ⌊(H + 2·PadH − KH) / StrideH⌋ + 1 and OW = ⌊(W + 2·PadW − KW) / StrideW⌋ + 1.
/// Call <see cref="Validate"/> at a boundary before using the derived sizes.
/// </summary>
public readonly record struct Conv2dGeometry(
    int N, int C, int H, int W, int O, int KH, int KW, int StrideH, int StrideW, int PadH, int PadW)
{
    /// <summary>Output height, ⌊(H + 2·PadH − KH) / StrideH⌋ + 1.</summary>
    public int OH => (H + 2 * PadH - KH) / StrideH + 1;

    /// <summary>Output width, ⌊(W + 2·PadW − KW) / StrideW⌋ + 1.</summary>
    public int OW => (W + 2 * PadW - KW) / StrideW + 1;

    /// <summary>Length of one im2col column (a receptive field): C·KH·KW.</summary>
    public int PatchLength => C * KH * KW;

    /// <summary>Elements of x: N·C·H·W.</summary>
    public int InputLength => N * C * H * W;

    /// <summary>Elements of w: O·C·KH·KW.</summary>
    public int WeightLength => O * C * KH * KW;

    /// <summary>Elements of y: N·O·OH·OW.</summary>
    public int OutputLength => N * O * OH * OW;

    /// <summary>Checks that the geometry describes a computable convolution.</summary>
    /// <exception cref="ArgumentException">
    /// A size is not positive, a stride is not positive, a padding is negative, the kernel is larger
    /// than the padded input, or a tensor would exceed int.MaxValue elements. The message names the
    /// offending values and what was expected.
    /// </exception>
    public void Validate()
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || O <= 0)
        {
            throw new ArgumentException(
                $"Conv2d sizes must be positive; got N={N}, C={C}, H={H}, W={W}, O={O}. " +
                "Expected x of shape (N,C,H,W) and O output channels, each at least 1.");
        }

        if (KH <= 0 || KW <= 0)
        {
            throw new ArgumentException($"Conv2d kernel must be at least 1x1; got KH={KH}, KW={KW}.");
        }

        if (StrideH <= 0 || StrideW <= 0)
        {
            throw new ArgumentException($"Conv2d stride must be positive; got StrideH={StrideH}, StrideW={StrideW}. Use 1 for a dense convolution.");
        }

        if (PadH < 0 || PadW < 0)
        {
            throw new ArgumentException($"Conv2d padding must be non-negative; got PadH={PadH}, PadW={PadW}.");
        }

        if ((long)KH > (long)H + 2L * PadH || (long)KW > (long)W + 2L * PadW)
        {
            throw new ArgumentException(
                $"Conv2d kernel KH={KH}, KW={KW} is larger than the padded input " +
                $"H+2*PadH={(long)H + 2L * PadH} (H={H}, PadH={PadH}), W+2*PadW={(long)W + 2L * PadW} (W={W}, PadW={PadW}); " +
                "expected KH <= H + 2*PadH and KW <= W + 2*PadW.");
        }

        long oh = ((long)H + 2L * PadH - KH) / StrideH + 1;
        long ow = ((long)W + 2L * PadW - KW) / StrideW + 1;
        CheckFits("x (N*C*H*W)", (long)N * C * H * W);
        CheckFits("w (O*C*KH*KW)", (long)O * C * KH * KW);
        CheckFits("y (N*O*OH*OW)", (long)N * O * oh * ow);
        CheckFits("im2col patch (C*KH*KW*OH*OW)", (long)C * KH * KW * oh * ow);
    }

    private void CheckFits(string what, long count)
    {
        if (count > int.MaxValue)
        {
            throw new ArgumentException($"Conv2d tensor {what} would have {count} elements, more than int.MaxValue; reduce the batch or spatial size. Geometry: {this}.");
        }
    }
}
