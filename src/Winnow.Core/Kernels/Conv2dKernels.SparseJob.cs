using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    /// <summary>
    /// The three direct sparse convolution passes. Forward: item = output plane (n, o).
    /// InputGrad: item = input plane (n, c), kept weights of columns (c, ·, ·) from the CSC index.
    /// WeightGrad: item = a block of output channels, samples outermost so each sample's planes are
    /// reused across the block.
    /// </summary>
    private readonly struct SparseConvJob(Conv2dGeometry g, SparseConvJob.Kind kind, float* src, float* dst, float* bias, float* x,
        int* ptr, int* idx, float* values, bool accumulate) : IParallelJob
    {
        public enum Kind
        {
            Forward,
            InputGrad,
            WeightGrad,
        }

        public void Item(int index)
        {
            switch (kind)
            {
                case Kind.Forward:
                    Forward(index / g.O, index % g.O);
                    break;
                case Kind.InputGrad:
                    InputGrad(index / g.C, index % g.C);
                    break;
                default:
                    WeightGrad(index * SparseGradRowBlock, Math.Min(g.O, (index + 1) * SparseGradRowBlock));
                    break;
            }
        }

        private void Forward(int n, int o)
        {
            int p = g.OH * g.OW, kk = g.KH * g.KW, plane = g.H * g.W;
            float* y = dst + ((long)n * g.O + o) * p;
            new Span<float>(y, p).Fill(bias == null ? 0f : bias[o]);
            if (g.StrideH == 1 && g.StrideW == 1)
            {
                int taps = ptr[o + 1] - ptr[o];
                var (ints, weights) = TapBuffers(taps);
                for (int t = 0, q = ptr[o]; t < taps; t++, q++)
                {
                    int col = idx[q], c = col / kk, r = col - c * kk, kh = r / g.KW;
                    (ints[3 * t], ints[3 * t + 1], ints[3 * t + 2], weights[t]) = (c, kh - g.PadH, r - kh * g.KW - g.PadW, values[q]);
                }

                GatherPlane(y, g.OH, g.OW, src + (long)n * g.C * plane, plane, g.H, g.W, ints, weights, taps);
                return;
            }

            for (int q = ptr[o], end = ptr[o + 1]; q < end; q++)
            {
                int col = idx[q], c = col / kk, r = col - c * kk, kh = r / g.KW, kw = r - kh * g.KW;
                float* xp = src + ((long)n * g.C + c) * plane;
                ValidRange(g.H, g.OH, g.StrideH, g.PadH, kh, out int oh0, out int oh1);
                ValidRange(g.W, g.OW, g.StrideW, g.PadW, kw, out int ow0, out int ow1);
                float wv = values[q];
                for (int oh = oh0; oh < oh1; oh++)
                {
                    float* xrow = xp + (oh * g.StrideH - g.PadH + kh) * g.W - g.PadW + kw;
                    Axpy(wv, xrow, g.StrideW, y + oh * g.OW, ow0, ow1);
                }
            }
        }

        private void InputGrad(int n, int c)
        {
            int p = g.OH * g.OW, kk = g.KH * g.KW, plane = g.H * g.W;
            float* dxp = dst + ((long)n * g.C + c) * plane;
            if (!accumulate)
            {
                new Span<float>(dxp, plane).Clear();
            }

            if (g.StrideH == 1 && g.StrideW == 1)
            {
                int taps = ptr[(c + 1) * kk] - ptr[c * kk];
                var (ints, weights) = TapBuffers(taps);
                int t = 0;
                for (int r = 0; r < kk; r++)
                {
                    int kh = r / g.KW, kw = r - kh * g.KW;
                    for (int q = ptr[c * kk + r], end = ptr[c * kk + r + 1]; q < end; q++, t++)
                    {
                        (ints[3 * t], ints[3 * t + 1], ints[3 * t + 2], weights[t]) = (idx[q], g.PadH - kh, g.PadW - kw, values[q]);
                    }
                }

                GatherPlane(dxp, g.H, g.W, src + (long)n * g.O * p, p, g.OH, g.OW, ints, weights, taps);
                return;
            }

            for (int r = 0; r < kk; r++)
            {
                int col = c * kk + r, kh = r / g.KW, kw = r - kh * g.KW;
                ValidRange(g.H, g.OH, g.StrideH, g.PadH, kh, out int oh0, out int oh1);
                ValidRange(g.W, g.OW, g.StrideW, g.PadW, kw, out int ow0, out int ow1);
                for (int q = ptr[col], end = ptr[col + 1]; q < end; q++)
                {
                    float* dyp = src + ((long)n * g.O + idx[q]) * p;
                    float wv = values[q];
                    for (int oh = oh0; oh < oh1; oh++)
                    {
                        float* dxrow = dxp + (oh * g.StrideH - g.PadH + kh) * g.W - g.PadW + kw;
                        ScatterAxpy(wv, dyp + oh * g.OW, dxrow, g.StrideW, ow0, ow1);
                    }
                }
            }
        }

        private void WeightGrad(int o0, int o1)
        {
            int p = g.OH * g.OW, kk = g.KH * g.KW, plane = g.H * g.W, patch = g.PatchLength;
            if (!accumulate)
            {
                new Span<float>(dst + (long)o0 * patch, (o1 - o0) * patch).Clear();
            }

            if (UsePadded(g))
            {
                PaddedWeightGrad(o0, o1);
                return;
            }

            for (int n = 0; n < g.N; n++)
            {
                for (int o = o0; o < o1; o++)
                {
                    float* dyp = src + ((long)n * g.O + o) * p;
                    float* dwrow = dst + (long)o * patch;
                    for (int q = ptr[o], end = ptr[o + 1]; q < end; q++)
                    {
                        int col = idx[q], c = col / kk, r = col - c * kk, kh = r / g.KW, kw = r - kh * g.KW;
                        float* xp = x + ((long)n * g.C + c) * plane;
                        ValidRange(g.H, g.OH, g.StrideH, g.PadH, kh, out int oh0, out int oh1);
                        ValidRange(g.W, g.OW, g.StrideW, g.PadW, kw, out int ow0, out int ow1);
                        Vector256<float> acc = Vector256<float>.Zero;
                        float tail = 0f;
                        for (int oh = oh0; oh < oh1; oh++)
                        {
                            float* xrow = xp + (oh * g.StrideH - g.PadH + kh) * g.W - g.PadW + kw;
                            Dot(dyp + oh * g.OW, xrow, g.StrideW, ow0, ow1, ref acc, ref tail);
                        }

                        dwrow[col] += Vector256.Sum(acc) + tail;
                    }
                }
            }
        }

        /// <summary>
        /// Weight gradient of channels [o0, o1), stride 1, from the whole batch already zero-padded once
        /// (<see cref="PadSamplesJob"/>; the job's x): per sample, in order, per kept weight one dot product of
        /// dy[n,o] with the shifted window, in a fixed lane order. Kept weights go four at a time so the dy
        /// loads are shared and eight FMA chains are in flight; each weight's own sum is the same as when
        /// it runs alone (the leftover one to three weights).
        /// </summary>
        private void PaddedWeightGrad(int o0, int o1)
        {
            int p = g.OH * g.OW, kk = g.KH * g.KW, patch = g.PatchLength;
            int pwid = g.W + 2 * g.PadW;
            long pplane = (long)(g.H + 2 * g.PadH) * pwid;
            int tail = g.OW & 7, full = g.OW - tail;
            var tailMask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(tail)).AsSingle();
            for (int n = 0; n < g.N; n++)
            {
                float* xn = x + n * g.C * pplane;
                for (int o = o0; o < o1; o++)
                {
                    float* dyp = src + ((long)n * g.O + o) * p;
                    float* dwrow = dst + (long)o * patch;
                    int q = ptr[o], end = ptr[o + 1];
                    for (; q + 4 <= end; q += 4)
                    {
                        float* xa = Window(xn, idx[q], kk, pplane, pwid), xb = Window(xn, idx[q + 1], kk, pplane, pwid);
                        float* xc = Window(xn, idx[q + 2], kk, pplane, pwid), xd = Window(xn, idx[q + 3], kk, pplane, pwid);
                        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, e0 = a0, e1 = a0;
                        for (int oh = 0; oh < g.OH; oh++)
                        {
                            float* d = dyp + oh * g.OW, ra = xa + oh * pwid, rb = xb + oh * pwid, rc = xc + oh * pwid, rd = xd + oh * pwid;
                            int ow = 0;
                            for (; ow + 16 <= full; ow += 16)
                            {
                                var d0 = Avx.LoadVector256(d + ow);
                                var d1 = Avx.LoadVector256(d + ow + 8);
                                a0 = Fma.MultiplyAdd(d0, Avx.LoadVector256(ra + ow), a0);
                                b0 = Fma.MultiplyAdd(d0, Avx.LoadVector256(rb + ow), b0);
                                c0 = Fma.MultiplyAdd(d0, Avx.LoadVector256(rc + ow), c0);
                                e0 = Fma.MultiplyAdd(d0, Avx.LoadVector256(rd + ow), e0);
                                a1 = Fma.MultiplyAdd(d1, Avx.LoadVector256(ra + ow + 8), a1);
                                b1 = Fma.MultiplyAdd(d1, Avx.LoadVector256(rb + ow + 8), b1);
                                c1 = Fma.MultiplyAdd(d1, Avx.LoadVector256(rc + ow + 8), c1);
                                e1 = Fma.MultiplyAdd(d1, Avx.LoadVector256(rd + ow + 8), e1);
                            }

                            if (ow < full)
                            {
                                var d0 = Avx.LoadVector256(d + ow);
                                a0 = Fma.MultiplyAdd(d0, Avx.LoadVector256(ra + ow), a0);
                                b0 = Fma.MultiplyAdd(d0, Avx.LoadVector256(rb + ow), b0);
                                c0 = Fma.MultiplyAdd(d0, Avx.LoadVector256(rc + ow), c0);
                                e0 = Fma.MultiplyAdd(d0, Avx.LoadVector256(rd + ow), e0);
                            }

                            if (tail != 0)
                            {
                                var dt = Avx.MaskLoad(d + full, tailMask);
                                a1 = Fma.MultiplyAdd(dt, Avx.MaskLoad(ra + full, tailMask), a1);
                                b1 = Fma.MultiplyAdd(dt, Avx.MaskLoad(rb + full, tailMask), b1);
                                c1 = Fma.MultiplyAdd(dt, Avx.MaskLoad(rc + full, tailMask), c1);
                                e1 = Fma.MultiplyAdd(dt, Avx.MaskLoad(rd + full, tailMask), e1);
                            }
                        }

                        dwrow[idx[q]] += Vector256.Sum(Avx.Add(a0, a1));
                        dwrow[idx[q + 1]] += Vector256.Sum(Avx.Add(b0, b1));
                        dwrow[idx[q + 2]] += Vector256.Sum(Avx.Add(c0, c1));
                        dwrow[idx[q + 3]] += Vector256.Sum(Avx.Add(e0, e1));
                    }

                    for (; q < end; q++)
                    {
                        int col = idx[q];
                        float* xs = Window(xn, col, kk, pplane, pwid);
                        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0;
                        for (int oh = 0; oh < g.OH; oh++)
                        {
                            float* d = dyp + oh * g.OW, xr = xs + oh * pwid;
                            int ow = 0;
                            for (; ow + 16 <= full; ow += 16)
                            {
                                a0 = Fma.MultiplyAdd(Avx.LoadVector256(d + ow), Avx.LoadVector256(xr + ow), a0);
                                a1 = Fma.MultiplyAdd(Avx.LoadVector256(d + ow + 8), Avx.LoadVector256(xr + ow + 8), a1);
                            }

                            if (ow < full)
                            {
                                a0 = Fma.MultiplyAdd(Avx.LoadVector256(d + ow), Avx.LoadVector256(xr + ow), a0);
                            }

                            if (tail != 0)
                            {
                                a1 = Fma.MultiplyAdd(Avx.MaskLoad(d + full, tailMask), Avx.MaskLoad(xr + full, tailMask), a1);
                            }
                        }

                        dwrow[col] += Vector256.Sum(Avx.Add(a0, a1));
                    }
                }
            }
        }

        /// <summary>The top-left of kept column <paramref name="col"/>'s window in one padded sample.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private float* Window(float* xn, int col, int kk, long pplane, int pwid)
        {
            int c = col / kk, r = col - c * kk, kh = r / g.KW;
            return xn + c * pplane + kh * pwid + (r - kh * g.KW);
        }

        /// <summary>y[ow] += a · x[ow·stride] for ow in [ow0, ow1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static void Axpy(float a, float* x, int stride, float* y, int ow0, int ow1)
        {
            int ow = ow0;
            if (stride == 1 && Sgemm.IsAccelerated)
            {
                Vector256<float> va = Vector256.Create(a);
                for (; ow + 8 <= ow1; ow += 8)
                {
                    Avx.Store(y + ow, Fma.MultiplyAdd(va, Avx.LoadVector256(x + ow), Avx.LoadVector256(y + ow)));
                }
            }

            for (; ow < ow1; ow++)
            {
                y[ow] += a * x[ow * stride];
            }
        }

        /// <summary>dx[ow·stride] += a · dy[ow] for ow in [ow0, ow1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ScatterAxpy(float a, float* dy, float* dx, int stride, int ow0, int ow1)
        {
            int ow = ow0;
            if (stride == 1 && Sgemm.IsAccelerated)
            {
                Vector256<float> va = Vector256.Create(a);
                for (; ow + 8 <= ow1; ow += 8)
                {
                    Avx.Store(dx + ow, Fma.MultiplyAdd(va, Avx.LoadVector256(dy + ow), Avx.LoadVector256(dx + ow)));
                }
            }

            for (; ow < ow1; ow++)
            {
                dx[ow * stride] += a * dy[ow];
            }
        }

        /// <summary>acc/tail += Σ dy[ow] · x[ow·stride] over [ow0, ow1): full vectors into acc, the rest into tail.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Dot(float* dy, float* x, int stride, int ow0, int ow1, ref Vector256<float> acc, ref float tail)
        {
            int ow = ow0;
            if (stride == 1 && Sgemm.IsAccelerated)
            {
                for (; ow + 8 <= ow1; ow += 8)
                {
                    acc = Fma.MultiplyAdd(Avx.LoadVector256(dy + ow), Avx.LoadVector256(x + ow), acc);
                }
            }

            for (; ow < ow1; ow++)
            {
                tail += dy[ow] * x[ow * stride];
            }
        }
    }
}
