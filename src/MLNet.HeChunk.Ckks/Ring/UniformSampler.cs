using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// Expands a 32-byte public seed into polynomials with coefficients uniform modulo each prime. The generator is
/// AES-256 in counter mode keyed by the seed (a standard PRF-based PRG, hardware accelerated: about 6 GB/s here,
/// ten times SHAKE-128, whose streaming squeeze the platform's OpenSSL 3.0 lacks). Seeded objects (public key,
/// key-switching keys, secret-key ciphertexts) store only the seed for their uniform half, which halves their
/// size; sender and receiver expand it identically.
/// </summary>
internal static class UniformSampler
{
    public const int SeedLength = 32;

    private const int BlockWords = 2048;

    public static byte[] NewSeed() => RandomNumberGenerator.GetBytes(SeedLength);

    /// <summary>
    /// Fills every row of <paramref name="poly"/> with residues uniform modulo <paramref name="rowModuli"/>[row].
    /// The counter block is (domain, row, block index), so distinct polynomials expanded from one seed and distinct
    /// rows never share key stream. Values land directly in the NTT domain (uniform in either domain).
    /// </summary>
    public static void Expand(ReadOnlySpan<byte> seed, uint domain, RnsPoly poly, IReadOnlyList<Modulus> rowModuli)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"seed must be {SeedLength} bytes, got {seed.Length}");
        }

        using Aes aes = Aes.Create();
        aes.Key = seed.ToArray();
        int n = poly.Degree;
        byte[] counters = new byte[BlockWords * 8];
        byte[] stream = new byte[BlockWords * 8];
        for (int row = 0; row < poly.ResidueCount; row++)
        {
            Modulus modulus = rowModuli[row];
            ulong q = modulus.Value;
            ulong mask = (1UL << modulus.BitCount) - 1;
            Span<ulong> destination = poly.Residue(row);
            int filled = 0;
            ulong blockIndex = 0;
            while (filled < n)
            {
                FillCounters(counters, domain, (uint)row, blockIndex);
                aes.EncryptEcb(counters, stream, PaddingMode.None);
                blockIndex += BlockWords / 2;
                for (int w = 0; w < BlockWords && filled < n; w++)
                {
                    ulong candidate = BinaryPrimitives.ReadUInt64LittleEndian(stream.AsSpan(w * 8, 8)) & mask;
                    // Rejection keeps the distribution exactly uniform; acceptance is above 1/2 since q > 2^(bits-1).
                    if (candidate < q)
                    {
                        destination[filled++] = candidate;
                    }
                }
            }
        }
    }

    private static void FillCounters(Span<byte> counters, uint domain, uint row, ulong firstBlock)
    {
        for (int b = 0; b < counters.Length / 16; b++)
        {
            Span<byte> block = counters.Slice(b * 16, 16);
            BinaryPrimitives.WriteUInt32LittleEndian(block, domain);
            BinaryPrimitives.WriteUInt32LittleEndian(block[4..], row);
            BinaryPrimitives.WriteUInt64LittleEndian(block[8..], firstBlock + (ulong)b);
        }
    }
}
