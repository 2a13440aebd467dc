namespace MLNet.HeChunk.Ckks;

/// <summary>
/// Named parameter sets. Secure ones meet the 128-bit HomomorphicEncryption.org table; test-only ones carry
/// "Insecure" in their name and are for arithmetic tests alone.
/// </summary>
public static class CkksPresets
{
    /// <summary>
    /// N = 8192, Q = {43, 43, 44, 44} + P = {44}: 218 bits, Microsoft SEAL's 128-bit default for N = 8192.
    /// q_0 (43 bits) holds the final result; the three others are rescaling primes for a scale near 2^40; P, as wide as
    /// the widest q, keeps key-switching noise below one unit after the division by P. Depth 3.
    /// </summary>
    public static CkksParametersLiteral N8192Depth3 => new()
    {
        LogN = 13,
        LogQ = [43, 43, 44, 44],
        LogP = [44],
        LogDefaultScale = 40,
    };

    /// <summary>
    /// N = 16384, Q = {48, 48, 48, 49, 49, 49, 49, 49} + P = {49}: 438 bits, 128-bit secure. Depth 7 at scale 2^40
    /// with 8 bits of integer headroom in q_0.
    /// </summary>
    public static CkksParametersLiteral N16384Depth7 => new()
    {
        LogN = 14,
        LogQ = [48, 48, 48, 49, 49, 49, 49, 49],
        LogP = [49],
        LogDefaultScale = 40,
    };

    /// <summary>
    /// N = 8192, Q = {31, 26, 26, 26, 26, 26, 26} + P = {31}, scale 2^26: 218 bits, 128-bit secure; the shape of the
    /// encrypted chunk CNN. q_0 leaves 5 bits above the scale for the decrypted scores; six 26-bit primes pay for six
    /// rescales (convolution, square, dense, square, dense, with one spare); P = 31 bits covers the widest q.
    /// </summary>
    public static CkksParametersLiteral N8192CnnChain => new()
    {
        LogN = 13,
        LogQ = [31, 26, 26, 26, 26, 26, 26],
        LogP = [31],
        LogDefaultScale = 26,
    };

    /// <summary>
    /// N = 8192, Q = {33, 28, 28, 28, 28, 28} + P = {45}, scale 2^28: 218 bits, 128-bit secure; what the encrypted chunk CNN
    /// uses. Five 28-bit primes pay for exactly its five rescales; q_0 leaves 5 bits above the scale for the decrypted
    /// logits (|logit| &lt; 16). Compared with <see cref="N8192CnnChain"/> it gives up the spare level to buy a special
    /// prime 12 bits wider than the widest q: key-switching noise, which rotate-and-sum amplifies, then falls below the
    /// rounding noise (measured: about 1e-2 absolute error on the chunk features with the 31-bit P, see docs/encrypted-cnn.md).
    /// </summary>
    public static CkksParametersLiteral N8192ChunkCnn => new()
    {
        LogN = 13,
        LogQ = [33, 28, 28, 28, 28, 28],
        LogP = [45],
        LogDefaultScale = 28,
    };

    /// <summary>
    /// N = 8192, Q = {60, 40, 40} + P = {60}: 200 bits, 128-bit secure; the classic precision shape of SEAL's CKKS
    /// examples ("{60, 40, 40, 60}", the last prime special). A 60-bit q_0 leaves 20 bits of integer headroom over the
    /// 2^40 scale; two 40-bit primes pay for two rescales.
    /// </summary>
    public static CkksParametersLiteral N8192Precision => new()
    {
        LogN = 13,
        LogQ = [60, 40, 40],
        LogP = [60],
        LogDefaultScale = 40,
    };

    /// <summary>N = 1024, Q = {50, 40, 40} + P = {50}: small and fast, insecure. For arithmetic tests only.</summary>
    public static CkksParametersLiteral InsecureN1024 => new()
    {
        LogN = 10,
        LogQ = [50, 40, 40],
        LogP = [50],
        LogDefaultScale = 40,
        Security = SecurityMode.InsecureForTestingOnly,
    };
}
