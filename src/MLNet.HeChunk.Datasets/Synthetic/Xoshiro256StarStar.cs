namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// xoshiro256** 1.0 (Blackman and Vigna 2018), with a few helpers for the generator.
/// Our own implementation rather than <see cref="Random"/>, whose algorithm is an implementation
/// detail of the runtime: the synthetic images must not change when the runtime does.
/// Every helper uses only integer arithmetic and correctly rounded IEEE operations, so a seed
/// gives the same sequence on every platform.
/// </summary>
internal sealed class Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Seeds the state from a SplitMix64 stream, which never yields the all-zero state in practice.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        var seeder = new SplitMix64(seed);
        _s0 = seeder.Next();
        _s1 = seeder.Next();
        _s2 = seeder.Next();
        _s3 = seeder.Next();
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="max"/>], both inclusive.</summary>
    public int Int(int min, int max)
    {
        if (max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"Must be at least min ({min}).");
        }

        // Lemire's multiply-shift: its bias, below range / 2^64, is far too small to matter here.
        ulong range = (ulong)((long)max - min + 1);
        ulong high = (ulong)(((UInt128)NextUInt64() * range) >> 64);
        return (int)(min + (long)high);
    }

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>+1 or -1 with equal probability.</summary>
    public int Sign() => (NextUInt64() >> 63) == 0 ? 1 : -1;

    /// <summary>
    /// Approximately standard normal: the sum of four uniforms, centred and scaled to unit variance
    /// (Irwin-Hall). Bounded at +-3.46, which is what a pixel-noise source wants, and free of
    /// logarithms, whose last bit may differ between platforms' math libraries.
    /// </summary>
    public float NextGaussian()
    {
        double sum = NextDouble() + NextDouble() + NextDouble() + NextDouble();
        return (float)((sum - 2.0) * 1.7320508075688772);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
