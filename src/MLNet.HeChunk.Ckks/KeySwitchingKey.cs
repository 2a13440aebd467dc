using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// A hybrid key-switching key from a key s' to s: for every ciphertext prime q_i, a pair (b_i, a_i) over Q·P with
/// b_i = -a_i*s + e_i + P*g_i*s', where g_i is the CRT basis element (1 mod q_i, 0 mod the other q_j). Each a_i is
/// expanded from the key's seed, so only the b_i and 32 bytes are stored.
/// </summary>
/// <remarks>
/// A key made for a maximum level l (<see cref="MaxLevel"/>) holds only digits 0..l and, in each, only the rows
/// q_0..q_l and the special primes: the same key restricted to the primes a level-l ciphertext still has. It switches
/// ciphertexts at level l or below exactly as the full key would, and is about ((l+1)/(L+1))^2 of its size, which is
/// why a model's rotations that only happen deep in the circuit get small keys.
/// </remarks>
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

    /// <summary>Number of decomposition digits (one per ciphertext prime up to <see cref="MaxLevel"/>).</summary>
    public int DigitCount => B.Length;

    /// <summary>The highest ciphertext level this key can switch (its digit count minus one).</summary>
    public int MaxLevel => B.Length - 1;

    /// <summary>Row of this key's polynomials that holds the residues modulo prime <paramref name="modulusIndex"/> (Q primes, then P).</summary>
    internal int RowOf(int modulusIndex)
    {
        int qCount = Parameters.Ring.QCount;
        return modulusIndex < qCount ? modulusIndex : MaxLevel + 1 + (modulusIndex - qCount);
    }

    internal RnsPoly[] B { get; }

    internal RnsPoly[] A { get; }

    internal byte[] Seed { get; }

    /// <summary>Domain-separation tag of digit i's uniform polynomial under the key's seed.</summary>
    internal static uint DomainOfDigit(int digit) => 0x4B530000u + (uint)digit;
}
