namespace Winnow;

/// <summary>
/// The engine's one seeded random number generator (xoshiro256** seeded through SplitMix64).
/// Always passed explicitly: nothing in Winnow uses a shared or time-seeded generator, so a run is
/// reproduced from its seed. Not thread-safe: give each thread its own generator via <see cref="Fork"/>.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>Creates a generator whose whole sequence is determined by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private Rng(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), unbiased (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "Rng.NextInt needs a positive upper bound.");
        }

        ulong range = (ulong)maxExclusive;
        while (true)
        {
            ulong r = NextUInt64() >> 32;
            ulong product = r * range;
            if ((uint)product >= (uint)((0x1_0000_0000UL - range) % range))
            {
                return (int)(product >> 32);
            }
        }
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform float in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform float in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public float Uniform(float low, float high) => (float)(low + (high - low) * NextDouble());

    /// <summary>Standard normal sample (Box–Muller in double precision).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }

        double u1;
        do
        {
            u1 = NextDouble();
        }
        while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spareGaussian = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>Fills <paramref name="dst"/> with U[low, high).</summary>
    public void FillUniform(Span<float> dst, float low, float high)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = Uniform(low, high);
        }
    }

    /// <summary>Fills <paramref name="dst"/> with N(mean, std²).</summary>
    public void FillNormal(Span<float> dst, float mean, float std)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = (float)(mean + std * NextGaussian());
        }
    }

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/>.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// A new independent generator derived from this one (this one advances by one draw), for
    /// worker threads or sub-components that must not disturb the parent's sequence afterwards.
    /// </summary>
    public Rng Fork() => new(NextUInt64());

    /// <summary>The full internal state, so a run can be checkpointed and resumed bit-identically.</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3, BitConverter.DoubleToUInt64Bits(_spareGaussian), _hasSpare ? 1UL : 0UL];

    /// <summary>Restores a state captured by <see cref="GetState"/>.</summary>
    /// <exception cref="ArgumentException">The state does not have 6 words or is all zero.</exception>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 6 || (state[0] | state[1] | state[2] | state[3]) == 0)
        {
            throw new ArgumentException($"An Rng state has 6 words with a non-zero generator state; got {state.Length} words.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _spareGaussian = BitConverter.UInt64BitsToDouble(state[4]);
        _hasSpare = state[5] != 0;
    }

    /// <summary>Clones the generator (same future sequence).</summary>
    public Rng Clone()
    {
        var r = new Rng(_s0, _s1, _s2, _s3) { _spareGaussian = _spareGaussian, _hasSpare = _hasSpare };
        return r;
    }
}
