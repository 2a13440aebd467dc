namespace MLNet.HeChunk.Ckks;

/// <summary>
/// One Galois key to generate: a slot rotation (or the complex conjugation) and the highest ciphertext level at which
/// the circuit performs it. A key for level l holds l+1 digits over l+1 ciphertext primes and the special primes, so
/// a rotation used only deep in a circuit costs a fraction of a full key to store and to send.
/// </summary>
/// <param name="Step">Rotation step (left; negative rotates right); ignored for the conjugation.</param>
/// <param name="MaxLevel">The highest level of a ciphertext the key will switch.</param>
/// <param name="IsConjugation">The key for complex conjugation instead of a rotation.</param>
public readonly record struct GaloisKeyRequest(int Step, int MaxLevel, bool IsConjugation = false)
{
    /// <summary>A rotation key for ciphertexts up to <paramref name="maxLevel"/>.</summary>
    public static GaloisKeyRequest Rotation(int step, int maxLevel) => new(step, maxLevel);

    /// <summary>The conjugation key for ciphertexts up to <paramref name="maxLevel"/>.</summary>
    public static GaloisKeyRequest Conjugation(int maxLevel) => new(0, maxLevel, IsConjugation: true);
}
