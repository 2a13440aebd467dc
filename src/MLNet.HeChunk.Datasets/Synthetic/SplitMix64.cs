namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014; constants from Vigna's reference C code): a 64-bit
/// generator whose output function is a strong bit mixer. Used here to expand one user seed into
/// independent per-image seeds and to fill xoshiro's state, as its authors recommend.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed)
    {
        _state = seed;
    }

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>The SplitMix64 output function: a bijective avalanche mix of 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
