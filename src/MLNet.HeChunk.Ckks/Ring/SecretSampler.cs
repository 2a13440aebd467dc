using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// Samplers for secret randomness (secret keys, errors, encryption masks). All bits come from the operating system's
/// CSPRNG, and the mapping from random bits to values has no branch or table index that depends on them, so timing
/// does not reveal the sampled values.
/// </summary>
internal static class SecretSampler
{
    /// <summary>Standard deviation of the error distribution (HomomorphicEncryption.org standard).</summary>
    public const double Sigma = 3.2;

    /// <summary>Errors are cut at 6 sigma, like Microsoft SEAL; the tail beyond has probability below 2^-26 per sample.</summary>
    public const int MaxDeviation = 19;

    // Cumulative table of |e|: Threshold[k] = round(2^63 * P(|e| <= k)), k = 0..MaxDeviation-1.
    private static readonly ulong[] Threshold = BuildThresholds();

    /// <summary>Uniform ternary values in {-1, 0, 1}.</summary>
    public static void Ternary(Span<sbyte> destination)
    {
        byte[] buffer = new byte[destination.Length + 64];
        int filled = 0;
        while (filled < destination.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            for (int i = 0; i < buffer.Length && filled < destination.Length; i++)
            {
                int b = buffer[i];
                // Rejecting 255 makes b uniform over 0..254, so b mod 3 is exactly uniform. The test is on fresh random
                // bits, not on the value kept, so it leaks nothing about the secret.
                if (b < 255)
                {
                    destination[filled++] = (sbyte)((b % 3) - 1);
                }
            }
        }

        CryptographicOperations.ZeroMemory(buffer);
    }

    /// <summary>Discrete Gaussian values (sigma 3.2, cut at 6 sigma) by a constant-time full scan of a cumulative table.</summary>
    public static void Gaussian(Span<long> destination)
    {
        byte[] buffer = new byte[destination.Length * 8];
        RandomNumberGenerator.Fill(buffer);
        GaussianFromBits(MemoryMarshal.Cast<byte, ulong>(buffer.AsSpan()), destination, allowVector: true);
        CryptographicOperations.ZeroMemory(buffer);
    }

    /// <summary>The mapping from 64 random bits per sample to a Gaussian value; vector and scalar code agree exactly.</summary>
    internal static void GaussianFromBits(ReadOnlySpan<ulong> random, Span<long> destination, bool allowVector)
    {
        int i = 0;
        if (allowVector && Vector512.IsHardwareAccelerated)
        {
            // The same mapping as the scalar loop below, eight samples at a time (no branch, no table index).
            var clearSign = Vector512.Create(~(1UL << 63));
            var one = Vector512<ulong>.One;
            ref ulong r = ref MemoryMarshal.GetReference(random);
            ref long d = ref MemoryMarshal.GetReference(destination);
            for (; i + 8 <= destination.Length; i += 8)
            {
                Vector512<ulong> bits = Vector512.LoadUnsafe(ref r, (nuint)i);
                Vector512<ulong> u = bits & clearSign;
                Vector512<ulong> magnitude = Vector512<ulong>.Zero;
                foreach (ulong t in Threshold)
                {
                    magnitude += ((u - Vector512.Create(t)) >> 63) ^ one;
                }

                Vector512<long> mask = Vector512.ShiftRightArithmetic(bits.AsInt64(), 63);
                ((magnitude.AsInt64() ^ mask) - mask).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < destination.Length; i++)
        {
            ulong r = random[i];
            ulong sign = r >> 63;
            ulong u = r & ~(1UL << 63);
            long magnitude = 0;
            // Every threshold is compared for every sample: the count of thresholds at or below u is |e|.
            foreach (ulong t in Threshold)
            {
                magnitude += (long)(((u - t) >> 63) ^ 1);
            }

            // Branch-free conditional negation.
            long mask = -(long)sign;
            destination[i] = (magnitude ^ mask) - mask;
        }
    }

    /// <summary>A fresh Gaussian error polynomial in every row of <paramref name="destination"/> (coefficient domain).</summary>
    public static void GaussianPoly(RnsPoly destination, IReadOnlyList<Modulus> rowModuli)
    {
        var values = new long[destination.Degree];
        Gaussian(values);
        Lift<long>(values, destination, rowModuli);
        Array.Clear(values);
    }

    /// <summary>Writes small signed integers into every row of an RNS polynomial (coefficient domain), branch-free.</summary>
    public static void Lift<T>(ReadOnlySpan<T> values, RnsPoly poly, IReadOnlyList<Modulus> rowModuli)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        for (int row = 0; row < poly.ResidueCount; row++)
        {
            LiftRow(values, poly.Residue(row), rowModuli[row].Value);
        }
    }

    /// <summary>destination[i] = values[i] mod q for small signed integers, branch-free.</summary>
    public static void LiftRow<T>(ReadOnlySpan<T> values, Span<ulong> destination, ulong q)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && typeof(T) == typeof(long))
        {
            ReadOnlySpan<long> signed = MemoryMarshal.Cast<T, long>(values);
            var qv = Vector512.Create(q);
            ref long rv = ref MemoryMarshal.GetReference(signed);
            ref ulong rd = ref MemoryMarshal.GetReference(destination);
            for (; i + 8 <= destination.Length; i += 8)
            {
                Vector512<long> v = Vector512.LoadUnsafe(ref rv, (nuint)i);
                (v.AsUInt64() + (qv & Vector512.ShiftRightArithmetic(v, 63).AsUInt64())).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < destination.Length; i++)
        {
            long v = long.CreateTruncating(values[i]);
            // A negative v becomes q + v through the sign mask: no branch on the secret value.
            destination[i] = (ulong)v + (q & (ulong)(v >> 63));
        }
    }

    private static ulong[] BuildThresholds()
    {
        double total = 0;
        var weight = new double[MaxDeviation + 1];
        for (int k = 0; k <= MaxDeviation; k++)
        {
            // |e| = k collects both signs except for zero.
            weight[k] = Math.Exp(-(k * (double)k) / (2 * Sigma * Sigma)) * (k == 0 ? 1 : 2);
            total += weight[k];
        }

        var thresholds = new ulong[MaxDeviation];
        double cumulative = 0;
        for (int k = 0; k < MaxDeviation; k++)
        {
            cumulative += weight[k] / total;
            thresholds[k] = (ulong)Math.Round(cumulative * Math.Pow(2, 63));
        }

        return thresholds;
    }
}
