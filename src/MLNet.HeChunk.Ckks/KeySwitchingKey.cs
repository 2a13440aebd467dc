using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// A hybrid key-switching key from a key s' to s: for every ciphertext prime q_i, a pair (b_i, a_i) over Q·P with
/// b_i = -a_i*s + e_i + P*g_i*s', where g_i is the CRT basis element (1 mod q_i, 0 mod the other q_j). Each a_i is
/// expanded from the key's seed, so only the b_i and 32 bytes are stored.
/// </summary>
public sealed class KeySwitchingKey
{
    internal KeySwitchingKey(CkksParameters parameters, RnsPoly[] b, RnsPoly[] a, byte[] seed)
    {
        Parameters = parameters;
        B = b;
        A = a;
        Seed = seed;
    }

    /// <summary>The parameter set this key belongs to.</summary>
    public CkksParameters Parameters { get; }

    /// <summary>Number of decomposition digits (one per ciphertext prime).</summary>
    public int DigitCount => B.Length;

    internal RnsPoly[] B { get; }

    internal RnsPoly[] A { get; }

    internal byte[] Seed { get; }

    /// <summary>Domain-separation tag of digit i's uniform polynomial under the key's seed.</summary>
    internal static uint DomainOfDigit(int digit) => 0x4B530000u + (uint)digit;
}
