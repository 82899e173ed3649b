using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Winnow.Kernels;

/// <summary>The per-channel work of the batch-norm kernels and its vectorised row loops.</summary>
public static unsafe partial class BatchNormKernels
{
    private readonly partial struct Job(int n, int c, int s) : IParallelJob
    {
        public int N => n;
        public int C => c;
        public int S => s;
        public int Mode { get; init; } // 0 train forward, 1 eval forward, 2 backward
        public float* X { get; init; }
        public float* Dy { get; init; }
        public float* Gamma { get; init; }
        public float* Beta { get; init; }
        public float* RunMean { get; init; }
        public float* RunVar { get; init; }
        public float* Out { get; init; }
        public float* Mean { get; init; }
        public float* InvStd { get; init; }
        public float* DGamma { get; init; }
        public float* DBeta { get; init; }
        public float Eps { get; init; }
        public float Momentum { get; init; }
        public bool HasDx { get; init; }
        public bool HasDGamma { get; init; }
        public bool HasDBeta { get; init; }
        public bool Accumulate { get; init; }

        /// <summary>Independent work items: channels, or strips of channels when S = 1.</summary>
        public int Items => s == 1 ? (c + StripWidth - 1) / StripWidth : c;

        public void Item(int t)
        {
            if (s == 1)
            {
                Strip(t);
            }
            else
            {
                Channel(t);
            }
        }

        private ReadOnlySpan<float> Row(float* p, int i, int ch) => new(p + ((long)i * c + ch) * s, s);

        private Span<float> RowOut(int i, int ch) => new(Out + ((long)i * c + ch) * s, s);

        private float Beta0(int ch) => Beta != null ? Beta[ch] : 0f;

        private double Gamma1(int ch) => Gamma != null ? Gamma[ch] : 1.0;

        private float EvalScale(int ch) => (float)(Gamma1(ch) / Math.Sqrt(RunVar[ch] + (double)Eps));

        // Saves μ (as the float centre) and 1/σ, updates the running statistics, returns γ/σ.
        // sq = Σ(x − centre)² = Σ(x − μ)² + m·(μ − centre)², so the centre's float rounding is removed.
        private float FinishTrain(int ch, double mean, float centre, double sq)
        {
            double m = (double)n * s;
            double var = Math.Max(0.0, sq / m - (mean - centre) * (mean - centre));
            double invStd = 1.0 / Math.Sqrt(var + Eps);
            Mean[ch] = centre;
            InvStd[ch] = (float)invStd;
            if (RunMean != null)
            {
                RunMean[ch] = (float)((1.0 - Momentum) * RunMean[ch] + Momentum * mean);
                RunVar[ch] = (float)((1.0 - Momentum) * RunVar[ch] + Momentum * var * m / (m - 1.0));
            }

            return (float)(Gamma1(ch) * invStd);
        }

        // Writes dγ = Σdy·x̂ and dβ = Σdy; returns dx = a·dy + bx·(x − μ) + c1.
        private (float A, float Bx, float C1) FinishBackward(int ch, double sumDy, double sumDyXc)
        {
            double m = (double)n * s, inv = InvStd[ch], a = Gamma1(ch) * inv;
            if (HasDGamma)
            {
                DGamma[ch] = (float)((Accumulate ? DGamma[ch] : 0.0) + sumDyXc * inv);
            }

            if (HasDBeta)
            {
                DBeta[ch] = (float)((Accumulate ? DBeta[ch] : 0.0) + sumDy);
            }

            return ((float)a, (float)(-a * inv * inv * sumDyXc / m), (float)(-a * sumDy / m));
        }

        private void Channel(int ch)
        {
            if (Mode == 2)
            {
                float mu = Mean[ch];
                double sumDy = 0, sumDyXc = 0;
                for (int i = 0; i < n; i++)
                {
                    SumAndCentredDot(Row(Dy, i, ch), Row(X, i, ch), mu, ref sumDy, ref sumDyXc);
                }

                var (a, bx, c1) = FinishBackward(ch, sumDy, sumDyXc);
                for (int i = 0; i < n && HasDx; i++)
                {
                    BackwardRow(Row(Dy, i, ch), Row(X, i, ch), mu, a, bx, c1, RowOut(i, ch), Accumulate);
                }

                return;
            }

            float centre = Mode == 1 ? RunMean[ch] : 0f, scale;
            if (Mode == 1)
            {
                scale = EvalScale(ch);
            }
            else
            {
                double sum = 0, sq = 0;
                for (int i = 0; i < n; i++)
                {
                    sum += ElementwiseKernels.SumOrdered(Row(X, i, ch));
                }

                double mean = sum / ((double)n * s);
                centre = (float)mean;
                for (int i = 0; i < n; i++)
                {
                    sq += SumSquaredDiff(Row(X, i, ch), centre);
                }

                scale = FinishTrain(ch, mean, centre, sq);
            }

            for (int i = 0; i < n; i++)
            {
                Affine(Row(X, i, ch), centre, scale, Beta0(ch), RowOut(i, ch));
            }
        }
    }

    private const int Block = 256;

    // src, dst: (L) -> dst = (src − centre)·scale + shift (fused multiply-add, also in the tail).
    private static void Affine(ReadOnlySpan<float> src, float centre, float scale, float shift, Span<float> dst)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float rs = ref MemoryMarshal.GetReference(src);
            ref float rd = ref MemoryMarshal.GetReference(dst);
            Vector256<float> vc = Vector256.Create(centre), vm = Vector256.Create(scale), va = Vector256.Create(shift);
            for (; i <= src.Length - 8; i += 8)
            {
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref rs, (nuint)i) - vc, vm, va).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < src.Length; i++)
        {
            dst[i] = MathF.FusedMultiplyAdd(src[i] - centre, scale, shift);
        }
    }

    // x: (L) -> Σ (x − centre)², float lanes per block of 256, blocks and tail combined in double.
    private static double SumSquaredDiff(ReadOnlySpan<float> x, float centre)
    {
        int i = 0;
        double total = 0.0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 8)
        {
            ref float r = ref MemoryMarshal.GetReference(x);
            Vector256<float> vc = Vector256.Create(centre);
            Vector256<double> acc = Vector256<double>.Zero;
            while (i <= x.Length - 8)
            {
                int end = Math.Min(x.Length - 7, i + Block);
                Vector256<float> a = Vector256<float>.Zero;
                for (; i < end; i += 8)
                {
                    Vector256<float> d = Vector256.LoadUnsafe(ref r, (nuint)i) - vc;
                    a = Vector256.FusedMultiplyAdd(d, d, a);
                }

                acc += ElementwiseKernels.WidenSum(a);
            }

            total = ElementwiseKernels.HorizontalSum(acc);
        }

        for (; i < x.Length; i++)
        {
            double d = x[i] - (double)centre;
            total += d * d;
        }

        return total;
    }

    // dy, x: (L) -> sumDy += Σ dy, sumDyXc += Σ dy·(x − centre); same blocking as SumSquaredDiff.
    private static void SumAndCentredDot(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float centre, ref double sumDy, ref double sumDyXc)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 8)
        {
            ref float rdy = ref MemoryMarshal.GetReference(dy);
            ref float rx = ref MemoryMarshal.GetReference(x);
            Vector256<float> vc = Vector256.Create(centre);
            Vector256<double> accDy = Vector256<double>.Zero, accDot = Vector256<double>.Zero;
            while (i <= x.Length - 8)
            {
                int end = Math.Min(x.Length - 7, i + Block);
                Vector256<float> a = Vector256<float>.Zero, b = Vector256<float>.Zero;
                for (; i < end; i += 8)
                {
                    Vector256<float> g = Vector256.LoadUnsafe(ref rdy, (nuint)i);
                    a += g;
                    b = Vector256.FusedMultiplyAdd(g, Vector256.LoadUnsafe(ref rx, (nuint)i) - vc, b);
                }

                accDy += ElementwiseKernels.WidenSum(a);
                accDot += ElementwiseKernels.WidenSum(b);
            }

            sumDy += ElementwiseKernels.HorizontalSum(accDy);
            sumDyXc += ElementwiseKernels.HorizontalSum(accDot);
        }

        for (; i < x.Length; i++)
        {
            sumDy += dy[i];
            sumDyXc += dy[i] * (x[i] - (double)centre);
        }
    }

    // dy, x: (L) -> dx (+)= a·dy + bx·(x − centre) + c1.
    private static void BackwardRow(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float centre, float a, float bx, float c1, Span<float> dx, bool accumulate)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float rdy = ref MemoryMarshal.GetReference(dy);
            ref float rx = ref MemoryMarshal.GetReference(x);
            ref float rdx = ref MemoryMarshal.GetReference(dx);
            Vector256<float> vc = Vector256.Create(centre), va = Vector256.Create(a), vb = Vector256.Create(bx), v1 = Vector256.Create(c1);
            for (; i <= x.Length - 8; i += 8)
            {
                Vector256<float> t = Vector256.FusedMultiplyAdd(vb, Vector256.LoadUnsafe(ref rx, (nuint)i) - vc, v1);
                t = Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref rdy, (nuint)i), t);
                (accumulate ? t + Vector256.LoadUnsafe(ref rdx, (nuint)i) : t).StoreUnsafe(ref rdx, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            float t = MathF.FusedMultiplyAdd(a, dy[i], MathF.FusedMultiplyAdd(bx, x[i] - centre, c1));
            dx[i] = accumulate ? dx[i] + t : t;
        }
    }
}
