using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    [ThreadStatic] private static long[]? t_batchedOffsets;
    [ThreadStatic] private static float[]? t_batchedWeights;
    [ThreadStatic] private static int[]? t_batchedTaps;

    /// <summary>
    /// The three batch-innermost sparse passes over transposed activations (rows of N samples).
    /// Forward: item = output channel o, src = xᵀ, dst = yᵀ. InputGrad: item = input channel c, src = dyᵀ,
    /// dst = dxᵀ, ptr/idx/values = CSC. WeightGrad: item = output channel o, src = dyᵀ, x = xᵀ, dst = dw.
    /// </summary>
    private readonly struct BatchedJob(Conv2dGeometry g, BatchedJob.Kind kind, float* src, float* x, float* dst, float* bias,
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
                    Forward(index);
                    break;
                case Kind.InputGrad:
                    InputGrad(index);
                    break;
                default:
                    WeightGrad(index);
                    break;
            }
        }

        private void Forward(int o)
        {
            int kk = g.KH * g.KW, q0 = ptr[o], taps = ptr[o + 1] - q0, n = g.N;
            int[] dec = GrowInts(ref t_batchedTaps, 3 * taps);
            BatchedBuffers(2 * taps, out long* offs, out float* wts);
            long* interior = offs + taps;
            int minDh = 0, maxDh = 0, minDw = 0, maxDw = 0;
            for (int t = 0; t < taps; t++)
            {
                int col = idx[q0 + t], c = col / kk, r = col - c * kk, kh = r / g.KW, dh = kh - g.PadH, dw = r - kh * g.KW - g.PadW;
                (dec[3 * t], dec[3 * t + 1], dec[3 * t + 2]) = (c, dh, dw);
                (minDh, maxDh, minDw, maxDw) = t == 0 ? (dh, dh, dw, dw) : (Math.Min(minDh, dh), Math.Max(maxDh, dh), Math.Min(minDw, dw), Math.Max(maxDw, dw));
                interior[t] = (((long)c * g.H + dh) * g.W + dw) * n;
                wts[taps + t] = values[q0 + t];
            }

            // Pixels whose every tap is inside the input (all of them without padding) read the taps at
            // fixed offsets from the window's corner: no per-pixel tap decoding.
            float b = bias == null ? 0f : bias[o];
            for (int oh = 0; oh < g.OH; oh++)
            {
                int ih0 = oh * g.StrideH;
                bool rowInside = ih0 + minDh >= 0 && ih0 + maxDh < g.H;
                for (int ow = 0; ow < g.OW; ow++)
                {
                    int iw0 = ow * g.StrideW;
                    float* outp = dst + (((long)o * g.OH + oh) * g.OW + ow) * n;
                    if (rowInside && iw0 + minDw >= 0 && iw0 + maxDw < g.W)
                    {
                        LaneSum(outp, n, src + ((long)ih0 * g.W + iw0) * n, interior, wts + taps, taps, b);
                        continue;
                    }

                    int nt = 0;
                    for (int t = 0; t < taps; t++)
                    {
                        int ih = ih0 + dec[3 * t + 1], iw = iw0 + dec[3 * t + 2];
                        if ((uint)ih < (uint)g.H && (uint)iw < (uint)g.W)
                        {
                            offs[nt] = (((long)dec[3 * t] * g.H + ih) * g.W + iw) * n;
                            wts[nt++] = values[q0 + t];
                        }
                    }

                    LaneSum(outp, n, src, offs, wts, nt, b);
                }
            }
        }

        private void InputGrad(int c)
        {
            int kk = g.KH * g.KW, q0 = ptr[c * kk], taps = ptr[(c + 1) * kk] - q0, n = g.N;
            BatchedBuffers(taps, out long* offs, out float* wts);
            for (int ih = 0; ih < g.H; ih++)
            {
                for (int iw = 0; iw < g.W; iw++)
                {
                    int nt = 0;
                    for (int r = 0; r < kk; r++)
                    {
                        int kh = r / g.KW, kw = r - kh * g.KW, th = ih + g.PadH - kh, tw = iw + g.PadW - kw;
                        int oh = th / g.StrideH, ow = tw / g.StrideW;
                        if (th < 0 || tw < 0 || oh * g.StrideH != th || ow * g.StrideW != tw || oh >= g.OH || ow >= g.OW)
                        {
                            continue;
                        }

                        for (int q = ptr[c * kk + r], end = ptr[c * kk + r + 1]; q < end; q++)
                        {
                            offs[nt] = (((long)idx[q] * g.OH + oh) * g.OW + ow) * n;
                            wts[nt++] = values[q];
                        }
                    }

                    LaneSum(dst + (((long)c * g.H + ih) * g.W + iw) * n, n, src, offs, wts, nt, 0f);
                }
            }
        }

        private void WeightGrad(int o)
        {
            int kk = g.KH * g.KW, patch = g.PatchLength, n = g.N;
            float* dwrow = dst + (long)o * patch;
            if (!accumulate)
            {
                new Span<float>(dwrow, patch).Clear();
            }

            for (int q = ptr[o], end = ptr[o + 1]; q < end; q++)
            {
                int col = idx[q], c = col / kk, r = col - c * kk, kh = r / g.KW, kw = r - kh * g.KW;
                ValidRange(g.H, g.OH, g.StrideH, g.PadH, kh, out int oh0, out int oh1);
                ValidRange(g.W, g.OW, g.StrideW, g.PadW, kw, out int ow0, out int ow1);
                Vector256<float> a0 = Vector256<float>.Zero, a1 = a0;
                float tail = 0f;
                for (int oh = oh0; oh < oh1; oh++)
                {
                    int ih = oh * g.StrideH - g.PadH + kh;
                    for (int ow = ow0; ow < ow1; ow++)
                    {
                        int iw = ow * g.StrideW - g.PadW + kw;
                        float* d = src + (((long)o * g.OH + oh) * g.OW + ow) * n;
                        float* xr = x + (((long)c * g.H + ih) * g.W + iw) * n;
                        int l = 0;
                        if (Sgemm.IsAccelerated)
                        {
                            for (; l + 16 <= n; l += 16)
                            {
                                a0 = Fma.MultiplyAdd(Avx.LoadVector256(d + l), Avx.LoadVector256(xr + l), a0);
                                a1 = Fma.MultiplyAdd(Avx.LoadVector256(d + l + 8), Avx.LoadVector256(xr + l + 8), a1);
                            }

                            if (l + 8 <= n)
                            {
                                a0 = Fma.MultiplyAdd(Avx.LoadVector256(d + l), Avx.LoadVector256(xr + l), a0);
                                l += 8;
                            }
                        }

                        for (; l < n; l++)
                        {
                            tail += d[l] * xr[l];
                        }
                    }
                }

                dwrow[col] += Vector256.Sum(Vector256.Add(a0, a1)) + tail;
            }
        }

        /// <summary>
        /// out[l] = init + Σ_t w_t · src[offs_t + l] for the N lanes l, taps in order: 32 lanes per register
        /// pass over the taps; a remainder of at most 8 lanes joins the last 32-lane pass as an overlapping
        /// fifth vector (no masked loads, no lone dependency chain), any other remainder takes one pass
        /// of up to four vectors, the last overlapping (N ≥ 8), else a masked vector. Every lane is init
        /// followed by the same fused multiply-adds in tap order on every path: overlapping lanes are
        /// stored twice with the same bits.
        /// </summary>
        private static void LaneSum(float* outp, int n, float* src, long* offs, float* wts, int taps, float init)
        {
            int l = 0;
            if (Sgemm.IsAccelerated)
            {
                Vector256<float> vi = Vector256.Create(init);
                for (; l + 32 <= n; l += 32)
                {
                    int rest = n - l - 32;
                    if (rest > 0 && rest <= 8)
                    {
                        LanePass5(outp, src, offs, wts, taps, vi, l, n - 8);
                        return;
                    }

                    Vector256<float> a0 = vi, a1 = vi, a2 = vi, a3 = vi;
                    for (int t = 0; t < taps; t++)
                    {
                        Vector256<float> w = Vector256.Create(wts[t]);
                        float* s = src + offs[t] + l;
                        a0 = Fma.MultiplyAdd(w, Avx.LoadVector256(s), a0);
                        a1 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + 8), a1);
                        a2 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + 16), a2);
                        a3 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + 24), a3);
                    }

                    Avx.Store(outp + l, a0);
                    Avx.Store(outp + l + 8, a1);
                    Avx.Store(outp + l + 16, a2);
                    Avx.Store(outp + l + 24, a3);
                }

                if (l < n && n >= 8)
                {
                    // Up to four vectors in one pass over the taps; the last starts at n − 8 and may overlap.
                    int p1 = Math.Min(l + 8, n - 8), p2 = Math.Min(l + 16, n - 8), p3 = n - 8;
                    Vector256<float> a0 = vi, a1 = vi, a2 = vi, a3 = vi;
                    for (int t = 0; t < taps; t++)
                    {
                        Vector256<float> w = Vector256.Create(wts[t]);
                        float* s = src + offs[t];
                        a0 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + l), a0);
                        a1 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + p1), a1);
                        a2 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + p2), a2);
                        a3 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + p3), a3);
                    }

                    Avx.Store(outp + l, a0);
                    Avx.Store(outp + p1, a1);
                    Avx.Store(outp + p2, a2);
                    Avx.Store(outp + p3, a3);
                    return;
                }

                if (l < n)
                {
                    var mask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(n - l)).AsSingle();
                    Vector256<float> a = vi;
                    for (int t = 0; t < taps; t++)
                    {
                        a = Fma.MultiplyAdd(Vector256.Create(wts[t]), Avx.MaskLoad(src + offs[t] + l, mask), a);
                    }

                    Avx.MaskStore(outp + l, mask, a);
                    return;
                }
            }

            for (; l < n; l++)
            {
                float a = init;
                for (int t = 0; t < taps; t++)
                {
                    a += wts[t] * src[offs[t] + l];
                }

                outp[l] = a;
            }
        }

        /// <summary>Lanes [l, l + 32) and the overlapping vector at <paramref name="last"/> in one pass over the taps.</summary>
        private static void LanePass5(float* outp, float* src, long* offs, float* wts, int taps, Vector256<float> vi, int l, int last)
        {
            Vector256<float> a0 = vi, a1 = vi, a2 = vi, a3 = vi, a4 = vi;
            for (int t = 0; t < taps; t++)
            {
                Vector256<float> w = Vector256.Create(wts[t]);
                float* s = src + offs[t];
                a0 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + l), a0);
                a1 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + l + 8), a1);
                a2 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + l + 16), a2);
                a3 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + l + 24), a3);
                a4 = Fma.MultiplyAdd(w, Avx.LoadVector256(s + last), a4);
            }

            Avx.Store(outp + l, a0);
            Avx.Store(outp + l + 8, a1);
            Avx.Store(outp + l + 16, a2);
            Avx.Store(outp + l + 24, a3);
            Avx.Store(outp + last, a4);
        }

        private static void BatchedBuffers(int taps, out long* offsets, out float* weights)
        {
            if (t_batchedOffsets is null || t_batchedOffsets.Length < taps)
            {
                // Allocated on the pinned heap, so their addresses stay valid without a fixed block.
                t_batchedOffsets = GC.AllocateUninitializedArray<long>(Math.Max(taps, 1), pinned: true);
                t_batchedWeights = GC.AllocateUninitializedArray<float>(Math.Max(taps, 1), pinned: true);
            }

            offsets = (long*)Unsafe.AsPointer(ref t_batchedOffsets[0]);
            weights = (float*)Unsafe.AsPointer(ref t_batchedWeights![0]);
        }
    }
}
