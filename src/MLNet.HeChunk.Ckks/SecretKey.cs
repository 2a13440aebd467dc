using System.Security.Cryptography;
using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// The secret key: a uniform ternary polynomial s, kept in the NTT domain over every prime (Q and P). It is never
/// written by the ordinary serialization calls; only the explicitly named secret-key export of the serializer writes it.
/// </summary>
public sealed class SecretKey
{
    internal SecretKey(CkksParameters parameters, RnsPoly poly)
    {
        Parameters = parameters;
        Poly = poly;
    }

    /// <summary>The parameter set this key belongs to.</summary>
    public CkksParameters Parameters { get; }

    /// <summary>s over q_0..q_L, p_0..p_(k-1), NTT domain.</summary>
    internal RnsPoly Poly { get; }

    /// <summary>Overwrites the key material in memory (call when the key is no longer needed).</summary>
    public void Clear() => CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Poly.Coefficients.AsSpan()));
}
