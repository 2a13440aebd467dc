using System.Numerics;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Cli.Reporting;

/// <summary>
/// The Table 1 analogue: for N = 4096 .. 32768 the deepest 128-bit-secure chain of the chunk CNN's shape (q_0 33 bits,
/// 28-bit rescaling primes, a 45-bit special prime), created as real parameter sets (so the engine's security check
/// and prime generation apply), with key and per-image sizes computed from the serialization format of
/// docs/serialization.md. Generating keys at N = 32768 with dozens of primes would take minutes, so no size here
/// comes from generated keys; the run checks the formula against the serialized sizes of its own N = 8192 keys.
/// </summary>
internal static class SizeTable
{
    private const int HeaderBytes = 24;
    private const int SeedBytes = 32;
    private const int FirstPrimeBits = 33;
    private const int ScalePrimeBits = 28;
    private const int SpecialPrimeBits = 45;

    /// <summary>Maximum total modulus bits at 128-bit security (HomomorphicEncryption.org, ternary secret).</summary>
    public static IReadOnlyDictionary<int, int> MaxModulusBits { get; } = new Dictionary<int, int>
    {
        [4096] = 109, [8192] = 218, [16384] = 438, [32768] = 881,
    };

    /// <summary>Rows for both image sides and every N.</summary>
    public static List<SizeTableRow> Build(ChunkPacking packing, int chunkSide)
    {
        var rows = new List<SizeTableRow>();
        foreach (var (n, bound) in MaxModulusBits)
        {
            int depth = (bound - FirstPrimeBits - SpecialPrimeBits) / ScalePrimeBits;
            var literal = new CkksParametersLiteral
            {
                LogN = BitOperations.Log2((uint)n),
                LogQ = [FirstPrimeBits, .. Enumerable.Repeat(ScalePrimeBits, depth)],
                LogP = [SpecialPrimeBits],
                LogDefaultScale = ScalePrimeBits,
            };
            CkksParameters parameters = CkksParameters.Create(literal);
            int slots = parameters.SlotCount;
            int galoisCount = ChunkCnnRotations.Steps(packing, chunkSide, slots).Count;
            long publicKey = PublicKeyBytes(parameters);
            long relin = RelinearizationKeyBytes(parameters);
            long galois = GaloisKeysBytes(parameters, galoisCount);
            int level = Math.Min(ChunkPacking.RequiredDepth, parameters.MaxLevel);
            long ciphertext = CiphertextBytes(parameters, level);
            foreach (int side in new[] { 112, 200 })
            {
                int perSide = (side + chunkSide - 1) / chunkSide;
                int chunks = perSide * perSide;
                int allChunkCiphertexts = ChunkCiphertexts(packing, chunkSide, slots, chunks);
                int wholeCiphertexts = (side * side + slots - 1) / slots;
                rows.Add(new SizeTableRow
                {
                    N = n,
                    Chain = $"Q {FirstPrimeBits} + {depth} x {ScalePrimeBits}, P {SpecialPrimeBits}",
                    ModulusBits = $"{parameters.TotalModulusBits} of {bound}",
                    MaxDepth = depth,
                    PublicKeyBytes = publicKey,
                    RelinKeyBytes = relin,
                    GaloisKeyBytes = galois,
                    GaloisKeys = galoisCount,
                    ImageSide = side,
                    Chunks = chunks,
                    CiphertextsAllChunks = allChunkCiphertexts,
                    BytesAllChunks = allChunkCiphertexts * ciphertext,
                    CiphertextsWholeImage = wholeCiphertexts,
                    BytesWholeImage = wholeCiphertexts * ciphertext,
                    FitsChunkCnn = depth >= ChunkPacking.RequiredDepth,
                    Source = "format",
                });
            }
        }

        return rows;
    }

    /// <summary>Bytes of one polynomial over <paramref name="moduli"/>, each row packed to its prime's bit width.</summary>
    private static long RowsBytes(CkksParameters parameters, IEnumerable<ulong> moduli) =>
        moduli.Sum(q => (long)parameters.N * (64 - BitOperations.LeadingZeroCount(q)) / 8);

    /// <summary>Seed and b over all Q and P primes (the engine encrypts with the public key over QP, then divides by P).</summary>
    public static long PublicKeyBytes(CkksParameters p) => HeaderBytes + SeedBytes + RowsBytes(p, p.Q.Concat(p.P));

    /// <summary>Digit count, seed and one b over Q and P per digit (one digit per Q prime).</summary>
    public static long RelinearizationKeyBytes(CkksParameters p) => HeaderBytes + 1 + SeedBytes + p.Q.Count * RowsBytes(p, p.Q.Concat(p.P));

    /// <summary>Key count and digit count, then per key its Galois element, seed and one b over Q and P per digit.</summary>
    public static long GaloisKeysBytes(CkksParameters p, int keys) => HeaderBytes + 4 + 1 + keys * (8 + SeedBytes + p.Q.Count * RowsBytes(p, p.Q.Concat(p.P)));

    /// <summary>A fresh public-key ciphertext (two components) at <paramref name="level"/>.</summary>
    public static long CiphertextBytes(CkksParameters p, int level) => HeaderBytes + 3 + 8 + 2 * RowsBytes(p, p.Q.Take(level + 1));

    /// <summary>
    /// Ciphertexts of the chunk CNN's plane packing for <paramref name="chunks"/> encrypted chunks: as the library's
    /// plane layout does for one group (a segment per chunk, blocks of a power of two of segments, planes per
    /// ciphertext as many blocks as fit). When the chunks do not fit one ciphertext's slots, the image is counted as
    /// several groups of the largest power of two of chunks that fits (the scorer takes one group at a time).
    /// </summary>
    public static int ChunkCiphertexts(ChunkPacking packing, int chunkSide, int slots, int chunks)
    {
        if (chunks == 0)
        {
            return 0;
        }

        int segment = packing.SegmentLength(chunkSide);
        int perGroup = Math.Min((int)BitOperations.RoundUpToPowerOf2((uint)chunks), slots / segment);
        int groups = (chunks + perGroup - 1) / perGroup;
        int ciphertexts = 0;
        for (int g = 0; g < groups; g++)
        {
            int inGroup = Math.Min(perGroup, chunks - g * perGroup);
            int block = segment * (int)BitOperations.RoundUpToPowerOf2((uint)inGroup);
            int planesPerCiphertext = slots / block;
            ciphertexts += (packing.PlaneCount + planesPerCiphertext - 1) / planesPerCiphertext;
        }

        return ciphertexts;
    }
}
