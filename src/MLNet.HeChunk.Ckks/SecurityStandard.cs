namespace MLNet.HeChunk.Ckks;

/// <summary>
/// The HomomorphicEncryption.org security standard (Albrecht et al., 2018), table for 128-bit classical security with
/// a uniform ternary secret: the largest total coefficient-modulus width, special primes included, for each ring degree.
/// </summary>
public static class SecurityStandard
{
    /// <summary>The security level this table guarantees.</summary>
    public const int SecurityBits = 128;

    private static readonly Dictionary<int, int> MaxBitsByDegree = new()
    {
        [1024] = 27,
        [2048] = 54,
        [4096] = 109,
        [8192] = 218,
        [16384] = 438,
        [32768] = 881,
    };

    /// <summary>Ring degrees the table covers.</summary>
    public static IReadOnlyCollection<int> Degrees => MaxBitsByDegree.Keys;

    /// <summary>
    /// The largest total modulus width (sum of the bit lengths of all primes, special primes included) that keeps
    /// 128-bit security at ring degree <paramref name="degree"/>, or null when the table has no row for it.
    /// </summary>
    public static int? MaxModulusBits(int degree) => MaxBitsByDegree.TryGetValue(degree, out int bits) ? bits : null;
}
