namespace Winnow.Kernels;

public static partial class Conv2dKernels
{
    // x: (N,C,H,W), w: (O,C,KH,KW), bias: (O) or empty -> y: (N,O,OH,OW)
    /// <summary>Direct-loop reference for <see cref="Forward"/>; sums over (c, kh, kw) in order, then adds the bias.</summary>
    public static void ForwardNaive(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckSpans(g, x, "x", g.InputLength, w, y, "y", g.OutputLength);
        CheckOptional(g, bias.Length, "bias");
        int oh_ = g.OH, ow_ = g.OW;
        for (int n = 0; n < g.N; n++)
        {
            for (int o = 0; o < g.O; o++)
            {
                for (int oh = 0; oh < oh_; oh++)
                {
                    for (int ow = 0; ow < ow_; ow++)
                    {
                        float sum = 0f;
                        for (int c = 0; c < g.C; c++)
                        {
                            for (int kh = 0; kh < g.KH; kh++)
                            {
                                int ih = oh * g.StrideH - g.PadH + kh;
                                for (int kw = 0; kw < g.KW; kw++)
                                {
                                    int iw = ow * g.StrideW - g.PadW + kw;
                                    if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W)
                                    {
                                        sum += x[((n * g.C + c) * g.H + ih) * g.W + iw] * w[((o * g.C + c) * g.KH + kh) * g.KW + kw];
                                    }
                                }
                            }
                        }

                        y[((n * g.O + o) * oh_ + oh) * ow_ + ow] = bias.IsEmpty ? sum : sum + bias[o];
                    }
                }
            }
        }
    }

    // dy: (N,O,OH,OW), w: (O,C,KH,KW) -> dx: (N,C,H,W)
    /// <summary>
    /// Direct-loop reference for <see cref="BackwardInput"/>: for every input element, gathers the
    /// outputs whose receptive field contains it: dx[n,c,ih,iw] = Σ_{o,kh,kw} dy[n,o,oh,ow]·w[o,c,kh,kw]
    /// with ih = oh·sH − pH + kh, iw = ow·sW − pW + kw.
    /// </summary>
    public static void BackwardInputNaive(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx, bool accumulate)
    {
        CheckSpans(g, dy, "dy", g.OutputLength, w, dx, "dx", g.InputLength);
        int oh_ = g.OH, ow_ = g.OW;
        for (int n = 0; n < g.N; n++)
        {
            for (int c = 0; c < g.C; c++)
            {
                for (int ih = 0; ih < g.H; ih++)
                {
                    for (int iw = 0; iw < g.W; iw++)
                    {
                        float sum = 0f;
                        for (int o = 0; o < g.O; o++)
                        {
                            for (int kh = 0; kh < g.KH; kh++)
                            {
                                int th = ih + g.PadH - kh;
                                if (th < 0 || th % g.StrideH != 0 || th / g.StrideH >= oh_)
                                {
                                    continue;
                                }

                                for (int kw = 0; kw < g.KW; kw++)
                                {
                                    int tw = iw + g.PadW - kw;
                                    if (tw < 0 || tw % g.StrideW != 0 || tw / g.StrideW >= ow_)
                                    {
                                        continue;
                                    }

                                    int oh = th / g.StrideH, ow = tw / g.StrideW;
                                    sum += dy[((n * g.O + o) * oh_ + oh) * ow_ + ow] * w[((o * g.C + c) * g.KH + kh) * g.KW + kw];
                                }
                            }
                        }

                        ref float d = ref dx[((n * g.C + c) * g.H + ih) * g.W + iw];
                        d = accumulate ? d + sum : sum;
                    }
                }
            }
        }
    }

    // dy: (N,O,OH,OW), x: (N,C,H,W) -> dw: (O,C,KH,KW), dbias: (O) or empty
    /// <summary>
    /// Direct-loop reference for <see cref="BackwardWeight"/>:
    /// dw[o,c,kh,kw] = Σ_{n,oh,ow} dy[n,o,oh,ow]·x[n,c,ih,iw] and dbias[o] = Σ_{n,oh,ow} dy[n,o,oh,ow].
    /// </summary>
    public static void BackwardWeightNaive(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dw, Span<float> dbias, bool accumulate)
    {
        CheckSpans(g, dy, "dy", g.OutputLength, dw, x, "x", g.InputLength, weightName: "dw");
        CheckOptional(g, dbias.Length, "dbias");
        int oh_ = g.OH, ow_ = g.OW;
        for (int o = 0; o < g.O; o++)
        {
            for (int c = 0; c < g.C; c++)
            {
                for (int kh = 0; kh < g.KH; kh++)
                {
                    for (int kw = 0; kw < g.KW; kw++)
                    {
                        float sum = 0f;
                        for (int n = 0; n < g.N; n++)
                        {
                            for (int oh = 0; oh < oh_; oh++)
                            {
                                int ih = oh * g.StrideH - g.PadH + kh;
                                if (ih < 0 || ih >= g.H)
                                {
                                    continue;
                                }

                                for (int ow = 0; ow < ow_; ow++)
                                {
                                    int iw = ow * g.StrideW - g.PadW + kw;
                                    if (iw >= 0 && iw < g.W)
                                    {
                                        sum += dy[((n * g.O + o) * oh_ + oh) * ow_ + ow] * x[((n * g.C + c) * g.H + ih) * g.W + iw];
                                    }
                                }
                            }
                        }

                        ref float d = ref dw[((o * g.C + c) * g.KH + kh) * g.KW + kw];
                        d = accumulate ? d + sum : sum;
                    }
                }
            }

            if (!dbias.IsEmpty)
            {
                float sum = 0f;
                for (int i = 0; i < g.N * oh_ * ow_; i++)
                {
                    int n = i / (oh_ * ow_), pix = i % (oh_ * ow_);
                    sum += dy[(n * g.O + o) * oh_ * ow_ + pix];
                }

                dbias[o] = accumulate ? dbias[o] + sum : sum;
            }
        }
    }
}
