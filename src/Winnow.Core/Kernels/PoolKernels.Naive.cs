namespace Winnow.Kernels;

public static partial class PoolKernels
{
    // x: (N,C,H,W) -> y: (N,C,OH,OW), argmax: (N,C,OH,OW) flat index within each (H,W) plane
    /// <summary>Direct-loop reference for <see cref="MaxPool2dForward"/> (padding as −∞, checked per element).</summary>
    public static void MaxPool2dForwardNaive(in Pool2dGeometry g, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        Check(g, x.Length, "x", g.InputLength, y.Length, "y", g.OutputLength);
        CheckLength(g, argmax.Length, "argmax", g.OutputLength);
        int oh_ = g.OH, ow_ = g.OW;
        for (int pl = 0; pl < g.N * g.C; pl++)
        {
            for (int oh = 0; oh < oh_; oh++)
            {
                for (int ow = 0; ow < ow_; ow++)
                {
                    float best = float.NegativeInfinity;
                    int bestIndex = -1;
                    for (int kh = 0; kh < g.KH; kh++)
                    {
                        for (int kw = 0; kw < g.KW; kw++)
                        {
                            int ih = oh * g.StrideH - g.PadH + kh, iw = ow * g.StrideW - g.PadW + kw;
                            if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W)
                            {
                                continue;
                            }

                            // As PyTorch: the index starts at the first in-bounds element (kept if all are −∞).
                            float v = x[(pl * g.H + ih) * g.W + iw];
                            if (bestIndex < 0 || v > best || float.IsNaN(v))
                            {
                                bestIndex = ih * g.W + iw;
                            }

                            if (v > best || float.IsNaN(v))
                            {
                                best = v;
                            }
                        }
                    }

                    y[(pl * oh_ + oh) * ow_ + ow] = best;
                    argmax[(pl * oh_ + oh) * ow_ + ow] = bestIndex;
                }
            }
        }
    }

    // x: (N,C,H,W) -> y: (N,C,OH,OW)
    /// <summary>Direct-loop reference for <see cref="AvgPool2dForward"/>; divides by KH·KW (count_include_pad, ceil_mode off).</summary>
    public static void AvgPool2dForwardNaive(in Pool2dGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(g, x.Length, "x", g.InputLength, y.Length, "y", g.OutputLength);
        int oh_ = g.OH, ow_ = g.OW;
        for (int pl = 0; pl < g.N * g.C; pl++)
        {
            for (int oh = 0; oh < oh_; oh++)
            {
                for (int ow = 0; ow < ow_; ow++)
                {
                    float sum = 0f;
                    for (int kh = 0; kh < g.KH; kh++)
                    {
                        for (int kw = 0; kw < g.KW; kw++)
                        {
                            int ih = oh * g.StrideH - g.PadH + kh, iw = ow * g.StrideW - g.PadW + kw;
                            if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W)
                            {
                                sum += x[(pl * g.H + ih) * g.W + iw];
                            }
                        }
                    }

                    y[(pl * oh_ + oh) * ow_ + ow] = sum / (g.KH * g.KW);
                }
            }
        }
    }

    // dy: (N,C,OH,OW) -> dx: (N,C,H,W)
    /// <summary>
    /// Gather-form reference for <see cref="AvgPool2dBackward"/>: each input element sums
    /// dy / (KH·KW) over the windows that contain it.
    /// </summary>
    public static void AvgPool2dBackwardNaive(in Pool2dGeometry g, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        Check(g, dx.Length, "dx", g.InputLength, dy.Length, "dy", g.OutputLength);
        int oh_ = g.OH, ow_ = g.OW;
        for (int pl = 0; pl < g.N * g.C; pl++)
        {
            for (int ih = 0; ih < g.H; ih++)
            {
                for (int iw = 0; iw < g.W; iw++)
                {
                    float sum = 0f;
                    for (int oh = 0; oh < oh_; oh++)
                    {
                        int kh = ih - (oh * g.StrideH - g.PadH);
                        for (int ow = 0; ow < ow_; ow++)
                        {
                            int kw = iw - (ow * g.StrideW - g.PadW);
                            if (kh >= 0 && kh < g.KH && kw >= 0 && kw < g.KW)
                            {
                                sum += dy[(pl * oh_ + oh) * ow_ + ow] / (g.KH * g.KW);
                            }
                        }
                    }

                    ref float d = ref dx[(pl * g.H + ih) * g.W + iw];
                    d = accumulate ? d + sum : sum;
                }
            }
        }
    }

    // x: (N,C,H,W) -> y: (N,C)
    /// <summary>Sequential-sum reference for <see cref="GlobalAvgPool2dForward"/>.</summary>
    public static void GlobalAvgPool2dForwardNaive(int n, int c, int h, int w, ReadOnlySpan<float> x, Span<float> y)
    {
        var g = Global(n, c, h, w);
        Check(g, x.Length, "x", g.InputLength, y.Length, "y", g.OutputLength);
        for (int pl = 0; pl < n * c; pl++)
        {
            float sum = 0f;
            for (int i = 0; i < h * w; i++)
            {
                sum += x[pl * h * w + i];
            }

            y[pl] = sum / (h * w);
        }
    }
}
