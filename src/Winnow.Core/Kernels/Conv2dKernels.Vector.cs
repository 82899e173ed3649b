using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Winnow.Kernels;

public static unsafe partial class Conv2dKernels
{
    /// <summary>d[j] = s[2j] for j &lt; len, reading at most <paramref name="avail"/> floats from s.</summary>
    private static void GatherStride2(float* s, float* d, int len, int avail)
    {
        int j = 0;
        if (Avx2.IsSupported)
        {
            for (; j + 8 <= len && 2 * j + 16 <= avail; j += 8)
            {
                // [a0 a2 b0 b2 | a4 a6 b4 b6], then swap the middle 64-bit lanes -> evens in order.
                Vector256<float> even = Avx.Shuffle(Avx.LoadVector256(s + 2 * j), Avx.LoadVector256(s + 2 * j + 8), 0x88);
                Avx.Store(d + j, Avx2.Permute4x64(even.AsDouble(), 0xD8).AsSingle());
            }

            for (; j + 4 <= len && 2 * j + 8 <= avail; j += 4)
            {
                Sse.Store(d + j, Sse.Shuffle(Sse.LoadVector128(s + 2 * j), Sse.LoadVector128(s + 2 * j + 4), 0x88));
            }
        }

        for (; j < len; j++)
        {
            d[j] = s[2 * j];
        }
    }

    /// <summary>
    /// d[2j] += s[j] for j &lt; len, touching at most <paramref name="avail"/> floats of d. Odd lanes
    /// get −0, the exact identity of IEEE addition, so they keep every bit (−0 and NaN included).
    /// </summary>
    private static void ScatterAddStride2(float* d, float* s, int len, int avail)
    {
        int j = 0;
        if (Avx2.IsSupported)
        {
            Vector256<float> negZero = Vector256.Create(-0f);
            for (; j + 8 <= len && 2 * j + 16 <= avail; j += 8)
            {
                Vector256<float> v = Avx.LoadVector256(s + j);
                Vector256<float> lo = Avx.UnpackLow(v, negZero), hi = Avx.UnpackHigh(v, negZero);
                float* t = d + 2 * j;
                Avx.Store(t, Avx.Add(Avx.LoadVector256(t), Avx.Permute2x128(lo, hi, 0x20)));
                Avx.Store(t + 8, Avx.Add(Avx.LoadVector256(t + 8), Avx.Permute2x128(lo, hi, 0x31)));
            }

            Vector128<float> negZero4 = Vector128.Create(-0f);
            for (; j + 4 <= len && 2 * j + 8 <= avail; j += 4)
            {
                Vector128<float> v = Sse.LoadVector128(s + j);
                float* t = d + 2 * j;
                Sse.Store(t, Sse.Add(Sse.LoadVector128(t), Sse.UnpackLow(v, negZero4)));
                Sse.Store(t + 4, Sse.Add(Sse.LoadVector128(t + 4), Sse.UnpackHigh(v, negZero4)));
            }
        }

        for (; j < len; j++)
        {
            d[2 * j] += s[j];
        }
    }

    // Rows of a feature map are often only 2..32 floats: Span.Clear/CopyTo cost more in call
    // overhead than the copy itself, so short runs use one or two (overlapping) vector moves.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clear(float* d, int len)
    {
        if (len >= 8)
        {
            int j = 0;
            for (; j <= len - 8; j += 8)
            {
                Vector256.Store(Vector256<float>.Zero, d + j);
            }

            if (j < len)
            {
                Vector256.Store(Vector256<float>.Zero, d + len - 8);
            }
        }
        else
        {
            for (int j = 0; j < len; j++)
            {
                d[j] = 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* s, float* d, int len)
    {
        if (len >= 8)
        {
            int j = 0;
            for (; j <= len - 8; j += 8)
            {
                Vector256.Store(Vector256.Load(s + j), d + j);
            }

            if (j < len)
            {
                Vector256.Store(Vector256.Load(s + len - 8), d + len - 8);
            }
        }
        else if (len >= 4)
        {
            Vector128.Store(Vector128.Load(s), d);
            Vector128.Store(Vector128.Load(s + len - 4), d + len - 4);
        }
        else
        {
            for (int j = 0; j < len; j++)
            {
                d[j] = s[j];
            }
        }
    }

    private static void AddInPlace(float* d, float* s, int len)
    {
        int j = 0;
        for (; j + 8 <= len; j += 8)
        {
            Vector256.Store(Vector256.Load(d + j) + Vector256.Load(s + j), d + j);
        }

        for (; j < len; j++)
        {
            d[j] += s[j];
        }
    }

    private static void AddScalar(float* s, float b, float* d, int len)
    {
        int j = 0;
        var vb = Vector256.Create(b);
        for (; j + 8 <= len; j += 8)
        {
            Vector256.Store(Vector256.Load(s + j) + vb, d + j);
        }

        for (; j < len; j++)
        {
            d[j] = s[j] + b;
        }
    }
}
