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
            IReadOnlyList<GaloisKeyRequest> galoisKeys = ChunkCnnRotations.KeyRequests(packing, chunkSide, slots, parameters.MaxLevel);
            int galoisCount = galoisKeys.Count;
            long publicKey = PublicKeyBytes(parameters);
            long relin = RelinearizationKeyBytes(parameters, ChunkCnnRotations.RelinearizationLevel(parameters.MaxLevel));
            long galois = GaloisKeysBytes(parameters, galoisKeys.Select(k => k.MaxLevel));
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

    /// <summary>Bytes of a key-switching key for levels 0..<paramref name="level"/>: seed, one b over q_0..q_level and P per digit.</summary>
    private static long SwitchingKeyBytes(CkksParameters p, int level) => SeedBytes + (level + 1) * RowsBytes(p, p.Q.Take(level + 1).Concat(p.P));

    /// <summary>Digit count and the key for levels up to <paramref name="level"/> (one digit per Q prime up to it).</summary>
    public static long RelinearizationKeyBytes(CkksParameters p, int level) => HeaderBytes + 1 + SwitchingKeyBytes(p, level);

    /// <summary>Key count, a table of (Galois element, digit count), then each key for its level.</summary>
    public static long GaloisKeysBytes(CkksParameters p, IEnumerable<int> levels) => HeaderBytes + 4 + levels.Sum(level => 9 + SwitchingKeyBytes(p, level));

    /// <summary>A fresh public-key ciphertext (two components) at <paramref name="level"/>.</summary>
    public static long CiphertextBytes(CkksParameters p, int level) => HeaderBytes + 3 + 8 + 2 * RowsBytes(p, p.Q.Take(level + 1));

    /// <summary>
    /// Ciphertexts of the chunk CNN's plane packing for <paramref name="chunks"/> encrypted chunks, as the library's plane
    /// layout makes them for one group: every convolution input once, two to a complex slot, a segment per chunk; a
    /// group holds as many chunks as segments fit one ciphertext and takes ceil(plane pairs / rows per segment)
    /// ciphertexts. When the chunks do not fit one group, the image is counted as several groups.
    /// </summary>
    public static int ChunkCiphertexts(ChunkPacking packing, int chunkSide, int slots, int chunks)
    {
        if (chunks == 0)
        {
            return 0;
        }

        int segment = packing.SegmentLength(chunkSide);
        int positions = packing.ConvOutputSize(chunkSide) * packing.ConvOutputSize(chunkSide);
        int rows = segment / positions;
        int pairs = (packing.PlaneCount + 1) / 2;
        int perGroup = slots / segment;
        int groups = (chunks + perGroup - 1) / perGroup;
        return groups * ((pairs + rows - 1) / rows);
    }
}
