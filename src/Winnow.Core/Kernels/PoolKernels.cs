namespace Winnow.Kernels;

/// <summary>
/// Pooling kernels with PyTorch semantics (NCHW, ceil_mode = false):
/// <list type="bullet">
/// <item>MaxPool2d: y = max over the window, padding counts as −∞; NaN propagates; ties keep the
/// first element in row-major window order. argmax holds the flat index ih·W + iw of the chosen
/// element within its (H,W) plane, as PyTorch's return_indices does.</item>
/// <item>AvgPool2d (count_include_pad = true): y = Σ window / (KH·KW), padding counts as zeros.</item>
/// <item>Global average pool: y[n,c] = mean over the H×W plane.</item>
/// </list>
/// Work is split over (n,c) planes, each written by one thread in a fixed order, so results are
/// bit-identical for any <see cref="Parallelism.MaxThreads"/>. Backward kernels overwrite dx unless
/// <c>accumulate</c> is set.
/// </summary>
/// <exception cref="ArgumentException">Invalid geometry or a span whose length does not match it.</exception>
public static unsafe partial class PoolKernels
{
    // x: (N,C,H,W) -> y: (N,C,OH,OW), argmax: (N,C,OH,OW) flat index within each (H,W) plane
    /// <summary>MaxPool2d forward; records the argmax of every window for <see cref="MaxPool2dBackward"/>.</summary>
    public static void MaxPool2dForward(in Pool2dGeometry g, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        Check(g, x.Length, "x", g.InputLength, y.Length, "y", g.OutputLength);
        CheckLength(g, argmax.Length, "argmax", g.OutputLength);
        fixed (float* px = x, py = y)
        fixed (int* pi = argmax)
        {
            Job.Run(PoolKind.MaxForward, g, px, py, pi, false);
        }
    }

    // dy: (N,C,OH,OW), argmax: (N,C,OH,OW) -> dx: (N,C,H,W)
    /// <summary>MaxPool2d backward: dx[n,c,argmax] += dy (scatter-add; overlapping windows may pick the same element).</summary>
    public static void MaxPool2dBackward(in Pool2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx, bool accumulate)
    {
        Check(g, dx.Length, "dx", g.InputLength, dy.Length, "dy", g.OutputLength);
        CheckLength(g, argmax.Length, "argmax", g.OutputLength);
        int plane = g.H * g.W;
        foreach (int index in argmax)
        {
            if ((uint)index >= (uint)plane)
            {
                throw new ArgumentException($"MaxPool2d argmax holds {index}, outside the H*W={plane} plane; expected indices from MaxPool2dForward with the same geometry {g}.", nameof(argmax));
            }
        }

        fixed (float* pdy = dy, pdx = dx)
        fixed (int* pi = argmax)
        {
            Job.Run(PoolKind.MaxBackward, g, pdy, pdx, pi, accumulate);
        }
    }

    // x: (N,C,H,W) -> y: (N,C,OH,OW)
    /// <summary>AvgPool2d forward with count_include_pad = true.</summary>
    public static void AvgPool2dForward(in Pool2dGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(g, x.Length, "x", g.InputLength, y.Length, "y", g.OutputLength);
        fixed (float* px = x, py = y)
        {
            Job.Run(PoolKind.AvgForward, g, px, py, null, false);
        }
    }

    // dy: (N,C,OH,OW) -> dx: (N,C,H,W)
    /// <summary>AvgPool2d backward: every input element of a window receives dy / (KH·KW).</summary>
    public static void AvgPool2dBackward(in Pool2dGeometry g, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        Check(g, dx.Length, "dx", g.InputLength, dy.Length, "dy", g.OutputLength);
        fixed (float* pdy = dy, pdx = dx)
        {
            Job.Run(PoolKind.AvgBackward, g, pdy, pdx, null, accumulate);
        }
    }

    // x: (N,C,H,W) -> y: (N,C)
    /// <summary>Global average pool: y[n,c] = (Σ_{h,w} x[n,c,h,w]) / (H·W).</summary>
    public static void GlobalAvgPool2dForward(int n, int c, int h, int w, ReadOnlySpan<float> x, Span<float> y)
    {
        var g = Global(n, c, h, w);
        Check(g, x.Length, "x", g.InputLength, y.Length, "y", g.OutputLength);
        fixed (float* px = x, py = y)
        {
            Job.Run(PoolKind.GlobalForward, g, px, py, null, false);
        }
    }

    // dy: (N,C) -> dx: (N,C,H,W)
    /// <summary>Global average pool backward: dx[n,c,h,w] = dy[n,c] / (H·W).</summary>
    public static void GlobalAvgPool2dBackward(int n, int c, int h, int w, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        var g = Global(n, c, h, w);
        Check(g, dx.Length, "dx", g.InputLength, dy.Length, "dy", g.OutputLength);
        fixed (float* pdy = dy, pdx = dx)
        {
            Job.Run(PoolKind.GlobalBackward, g, pdy, pdx, null, accumulate);
        }
    }

    private static Pool2dGeometry Global(int n, int c, int h, int w) => new(n, c, h, w, h, w, 1, 1, 0, 0);

    private static void Check(in Pool2dGeometry g, int aLength, string aName, int aExpected, int bLength, string bName, int bExpected)
    {
        g.Validate();
        CheckLength(g, aLength, aName, aExpected);
        CheckLength(g, bLength, bName, bExpected);
    }

    private static void CheckLength(in Pool2dGeometry g, int actual, string name, int expected)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Pool2d {name} has {actual} elements; expected {expected} for geometry {g}.", name);
        }
    }

    private enum PoolKind
    {
        MaxForward,
        MaxBackward,
        AvgForward,
        AvgBackward,
        GlobalForward,
        GlobalBackward,
    }

    /// <summary>
    /// One pass over all (n,c) planes, split into work items of whole planes. Per calling thread,
    /// delegate created once; pointers are only valid while <see cref="Run"/> runs.
    /// </summary>
    private sealed class Job
    {
        private const long MinItemWork = 4096;
        private const long SerialWork = 1 << 15;

        [ThreadStatic] private static Job? t_job;

        private readonly Action<int> _body;
        private PoolKind _kind;
        private Pool2dGeometry _g;
        private float* _src, _dst;
        private int* _index;
        private int _block;
        private bool _accumulate;

        private Job() => _body = Execute;

        public static void Run(PoolKind kind, in Pool2dGeometry g, float* src, float* dst, int* index, bool accumulate)
        {
            Job job = t_job ??= new Job();
            int planes = g.N * g.C;
            long planeWork = (long)g.H * g.W + (long)g.OH * g.OW;
            int block = (int)Math.Clamp((MinItemWork + planeWork - 1) / planeWork, 1, planes);
            int items = (planes + block - 1) / block;
            (job._kind, job._g, job._block, job._accumulate) = (kind, g, block, accumulate);
            job._src = src;
            job._dst = dst;
            job._index = index;
            try
            {
                if (Parallelism.MaxThreads == 1 || items == 1 || planes * planeWork < SerialWork)
                {
                    for (int i = 0; i < items; i++)
                    {
                        job.Execute(i);
                    }
                }
                else
                {
                    Parallelism.For(items, job._body);
                }
            }
            finally
            {
                job._src = job._dst = null;
                job._index = null;
            }
        }

        private void Execute(int item)
        {
            ref readonly Pool2dGeometry g = ref _g;
            long inPlane = (long)g.H * g.W, outPlane = (long)g.OH * g.OW;
            int last = Math.Min((item + 1) * _block, g.N * g.C);
            for (int pl = item * _block; pl < last; pl++)
            {
                long i = pl * inPlane, o = pl * outPlane;
                switch (_kind)
                {
                    case PoolKind.MaxForward:
                        MaxPlane(g, _src + i, _dst + o, _index + o);
                        break;
                    case PoolKind.MaxBackward:
                        MaxBackwardPlane(g, _src + o, _index + o, _dst + i, _accumulate);
                        break;
                    case PoolKind.AvgForward:
                        AvgPlane(g, _src + i, _dst + o);
                        break;
                    case PoolKind.AvgBackward:
                        AvgBackwardPlane(g, _src + o, _dst + i, _accumulate);
                        break;
                    case PoolKind.GlobalForward:
                        _dst[pl] = System.Numerics.Tensors.TensorPrimitives.Sum(new ReadOnlySpan<float>(_src + i, (int)inPlane)) / (float)inPlane;
                        break;
                    default:
                        GlobalBackwardPlane(_src[pl] / (float)inPlane, _dst + i, (int)inPlane, _accumulate);
                        break;
                }
            }
        }
    }
}
