using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// The public encryption key (b, a) with b = -a*s + e over q_0..q_L and the special primes; a is expanded from a
/// public seed, so the key is stored as b and 32 bytes.
/// </summary>
public sealed class PublicKey
{
    internal PublicKey(CkksParameters parameters, RnsPoly b, RnsPoly a, byte[] seed)
    {
        Parameters = parameters;
        B = b;
        A = a;
        Seed = seed;
    }

    /// <summary>The parameter set this key belongs to.</summary>
    public CkksParameters Parameters { get; }

    internal RnsPoly B { get; }

    internal RnsPoly A { get; }

    internal byte[] Seed { get; }
}
