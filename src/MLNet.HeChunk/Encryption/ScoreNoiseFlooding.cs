using System.Security.Cryptography;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// Noise flooding of decrypted scores before they leave the client (Li and Micciancio, EUROCRYPT 2021: a CKKS
/// decryption shared with someone who holds the ciphertext reveals the decryption error, which is linear in the
/// secret key). Each released logit gets fresh Gaussian noise of standard deviation
/// <c>sigma = sqrt(12 * queries) * 2^(s/2) * t</c>, the rule OpenFHE uses for its NOISE_FLOODING_DECRYPT mode after
/// Li, Micciancio, Schultz and Sorrell (CRYPTO 2022), where <c>s</c> is the statistical security in bits (an adversary's
/// advantage is at most 2^-s), <c>queries</c> the number of decryptions of the same or related ciphertexts an adversary
/// may see, and <c>t</c> a bound on the CKKS error of the decrypted value.
/// </summary>
/// <remarks>
/// <para><c>t</c> is either given (<see cref="NoiseBound"/>, a static bound measured beforehand, as OpenFHE's
/// EXEC_NOISE_ESTIMATION run does) or estimated per ciphertext from the imaginary parts of the decrypted slots, which
/// a real-valued computation leaves holding nothing but error (OpenFHE's estimator). docs/threat-model.md records the
/// measured error of the encrypted chunk CNN and what each level of <c>s</c> costs in accuracy: with the 28-bit final
/// scale of <c>CkksPresets.N8192ChunkCnn</c>, 30 bits of statistical security would need about 11 more bits of
/// precision than the parameters give.</para>
/// <para>Noise comes from the OS CSPRNG (Box-Muller over 53-bit uniforms); it is not constant-time, which is acceptable
/// because its standard deviation is public.</para>
/// </remarks>
public sealed class ScoreNoiseFlooding
{
    /// <summary>Creates a flooding rule.</summary>
    /// <param name="statisticalSecurityBits">s: the adversary's advantage is at most 2^-s (1 to 128).</param>
    /// <param name="adversarialQueries">Decryptions of the same or related ciphertexts an adversary may see (at least 1).</param>
    /// <param name="noiseBound">A static bound t on the error of a decrypted logit, or null to estimate it per ciphertext from the imaginary parts.</param>
    public ScoreNoiseFlooding(int statisticalSecurityBits, long adversarialQueries = 1, double? noiseBound = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statisticalSecurityBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statisticalSecurityBits, 128);
        ArgumentOutOfRangeException.ThrowIfLessThan(adversarialQueries, 1);
        if (noiseBound is double b && !(b > 0 && double.IsFinite(b)))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseBound), $"the noise bound must be positive and finite; found {b}");
        }

        StatisticalSecurityBits = statisticalSecurityBits;
        AdversarialQueries = adversarialQueries;
        NoiseBound = noiseBound;
    }

    /// <summary>s, the statistical security in bits.</summary>
    public int StatisticalSecurityBits { get; }

    /// <summary>The number of decryption queries the level holds for.</summary>
    public long AdversarialQueries { get; }

    /// <summary>The static error bound t, or null for the per-ciphertext estimate.</summary>
    public double? NoiseBound { get; }

    /// <summary>The flooding standard deviation for an error bound <paramref name="t"/>.</summary>
    public double StandardDeviation(double t) => Math.Sqrt(12.0 * AdversarialQueries) * Math.Pow(2, StatisticalSecurityBits / 2.0) * t;

    /// <summary>Adds flooding noise to <paramref name="logits"/> in place; returns the standard deviation used.</summary>
    /// <param name="logits">The decrypted logits.</param>
    /// <param name="estimatedError">The per-ciphertext error estimate (used when <see cref="NoiseBound"/> is null).</param>
    public double Apply(Span<double> logits, double estimatedError)
    {
        double sigma = StandardDeviation(NoiseBound ?? Math.Max(estimatedError, double.Epsilon));
        Span<byte> random = stackalloc byte[16];
        for (int i = 0; i < logits.Length; i++)
        {
            RandomNumberGenerator.Fill(random);
            // Two uniforms in (0, 1] from 53 random bits each, then Box-Muller.
            double u1 = ((BitConverter.ToUInt64(random) >> 11) + 1) * (1.0 / (1UL << 53));
            double u2 = (BitConverter.ToUInt64(random[8..]) >> 11) * (1.0 / (1UL << 53));
            logits[i] += sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return sigma;
    }
}
