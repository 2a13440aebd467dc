using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Ckks;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// The client-side encryption of one image's chunk group (issue: CkksEncryptor). Pixels are scaled to [0, 1]
/// (x / 255) and packed once each, two to a complex slot, into the plane pairs of <see cref="PlaneLayout"/>; ciphertexts are made at the level the
/// encrypted CNN consumes (<see cref="ChunkPacking.RequiredDepth"/>), not higher, which keeps them small.
/// Uses only public material unless the caller chooses seeded secret-key encryption (half-size ciphertexts).
/// </summary>
public sealed class ChunkGroupEncryptor
{
    /// <summary>Pixels travel divided by this, so the encrypted values lie in [0, 1].</summary>
    public const double PixelRange = 255.0;

    private readonly HeChunkKeys _keys;
    private readonly CkksEncoder _encoder;
    private readonly Encryptor _encryptor;
    private readonly int _degreeOfParallelism;

    /// <summary>Creates an encryptor.</summary>
    /// <param name="keys">The key set; its secret key is used only when <paramref name="useSecretKey"/> is true.</param>
    /// <param name="packing">The slot packing (must match the model that will score the data).</param>
    /// <param name="mode">What to encrypt.</param>
    /// <param name="useSecretKey">Seeded symmetric encryption with the client's secret key (half the upload).</param>
    /// <param name="degreeOfParallelism">Ciphertexts encrypted in parallel.</param>
    /// <param name="refuseImagesWithoutEncryptedChunk">
    /// In feature mode, refuse (<see cref="InvalidDataException"/>) an image whose gate marks no chunk, which would
    /// otherwise go out entirely in the clear. The ML.NET estimator sets it unless
    /// <see cref="ChunkEncryptionOptions.AllowImagesWithoutEncryptedChunk"/> is set; this low-level class leaves the
    /// choice to its caller (the experiment measures the paper's method as published).
    /// </param>
    public ChunkGroupEncryptor(HeChunkKeys keys, ChunkPacking packing, EncryptionMode mode, bool useSecretKey = false, int degreeOfParallelism = 1,
        bool refuseImagesWithoutEncryptedChunk = false)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(packing);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), $"unknown encryption mode {mode}");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        _keys = keys;
        Packing = packing;
        Mode = mode;
        _degreeOfParallelism = degreeOfParallelism;
        RefusesImagesWithoutEncryptedChunk = refuseImagesWithoutEncryptedChunk;
        _encoder = new CkksEncoder(keys.Parameters);
        _encryptor = useSecretKey
            ? new Encryptor(keys.Parameters, keys.SecretKey ?? throw new ArgumentException("secret-key encryption needs a key set with its secret key", nameof(keys)))
            : new Encryptor(keys.Parameters, keys.PublicKey);
        Level = Math.Min(ChunkPacking.RequiredDepth, keys.Parameters.MaxLevel);
    }

    /// <summary>The packing.</summary>
    public ChunkPacking Packing { get; }

    /// <summary>The mode.</summary>
    public EncryptionMode Mode { get; }

    /// <summary>The level fresh ciphertexts are made at.</summary>
    public int Level { get; }

    /// <summary>Whether an image with no encrypted chunk is refused in feature mode.</summary>
    public bool RefusesImagesWithoutEncryptedChunk { get; }

    /// <summary>Encrypts one image given as its chunk-major pixel vector (0-255) and its signed chunk index.</summary>
    /// <exception cref="ArgumentException">A vector's length does not match the grid, a pixel is not finite, or the index is malformed.</exception>
    public EncryptedChunkGroup Encrypt(ChunkGrid grid, ReadOnlySpan<float> chunks, ReadOnlySpan<int> chunkIndex) =>
        Encrypt(grid, chunks, chunkIndex, default);

    /// <summary>
    /// Encrypts one image's chunks as <see cref="Encrypt(ChunkGrid, ReadOnlySpan{float}, ReadOnlySpan{int})"/> does, and
    /// its texture descriptors (<see cref="Imaging.TextureFeatures"/>) into one more ciphertext when any are given.
    /// </summary>
    /// <exception cref="ArgumentException">Sizes do not match the grid, an index is not the gate's, or a value is not finite.</exception>
    /// <exception cref="InvalidDataException">Feature mode, no chunk marked, and <see cref="RefusesImagesWithoutEncryptedChunk"/>.</exception>
    public EncryptedChunkGroup Encrypt(ChunkGrid grid, ReadOnlySpan<float> chunks, ReadOnlySpan<int> chunkIndex, ReadOnlySpan<float> descriptors)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (chunks.Length != grid.VectorLength)
        {
            throw new ArgumentException($"expected {grid.VectorLength} chunk pixels ({grid}), found {chunks.Length}");
        }

        if (chunkIndex.Length != grid.ChunkCount)
        {
            throw new ArgumentException($"expected {grid.ChunkCount} chunk indices, found {chunkIndex.Length}");
        }

        for (int c = 0; c < chunkIndex.Length; c++)
        {
            if (Math.Abs((long)chunkIndex[c]) != c + 1)
            {
                throw new ArgumentException($"chunk index {c} is {chunkIndex[c]}; the gate's index is +{c + 1} or -{c + 1}");
            }
        }

        foreach (float p in chunks)
        {
            if (!float.IsFinite(p))
            {
                throw new ArgumentException("a chunk pixel is not finite (NaN or infinity)");
            }
        }

        // Only feature mode needs the gate's verdict on the server. In the other modes the signs would tell the
        // server which chunks hold features, which alone predicts the class well above chance (measured by the
        // experiment's privacy audit), so they are sent as all-positive positions.
        int[] index = Mode == EncryptionMode.FeatureChunks
            ? chunkIndex.ToArray()
            : Enumerable.Range(1, chunkIndex.Length).ToArray();
        int length = grid.ChunkLength;
        float[] all = chunks.ToArray();
        float[] Chunk(int c) => all.AsSpan(c * length, length).ToArray();

        if (Mode == EncryptionMode.WholeImage)
        {
            var image = new float[grid.ImageLength];
            grid.Merge(chunks, image);
            int slots = _keys.Parameters.SlotCount;
            var vectors = new double[(image.Length + slots - 1) / slots][];
            for (int i = 0; i < vectors.Length; i++)
            {
                vectors[i] = new double[Math.Min(slots, image.Length - i * slots)];
                for (int j = 0; j < vectors[i].Length; j++)
                {
                    vectors[i][j] = image[i * slots + j] / PixelRange;
                }
            }

            return new EncryptedChunkGroup(Mode, _keys.KeySetId, grid, Packing, index, [], [], EncryptAll(vectors), EncryptDescriptors(descriptors));
        }

        if (grid.ChunkHeight != grid.ChunkWidth)
        {
            throw new ArgumentException($"chunk packing needs square chunks; the grid has {grid.ChunkHeight} x {grid.ChunkWidth} chunks");
        }

        int[] encrypted = Enumerable.Range(0, grid.ChunkCount).Where(c => Mode == EncryptionMode.AllChunks || index[c] > 0).ToArray();
        if (encrypted.Length == 0 && RefusesImagesWithoutEncryptedChunk)
        {
            throw new InvalidDataException(
                "the Sobel gate marks no feature chunk in this image, so in FeatureChunks mode all of its pixels would go to the server in the clear; " +
                "use AllChunks mode, or allow it explicitly (ChunkEncryptionOptions.AllowImagesWithoutEncryptedChunk, hechunk encrypt --allow-unencrypted-images)");
        }

        var plain = Enumerable.Range(0, grid.ChunkCount).Except(encrypted).ToDictionary(c => c, Chunk);
        var layout = new PlaneLayout(Packing, grid.ChunkHeight, _keys.Parameters.SlotCount, encrypted.Length);
        System.Numerics.Complex[][] planes = layout.Pack(encrypted.Select(Chunk).ToArray(), 1.0 / PixelRange);
        var ciphertexts = new Ciphertext[planes.Length];
        Parallel.For(0, planes.Length, new ParallelOptions { MaxDegreeOfParallelism = _degreeOfParallelism }, i =>
            ciphertexts[i] = _encryptor.Encrypt(_encoder.Encode(planes[i], Level, _keys.Parameters.DefaultScale)));
        return new EncryptedChunkGroup(Mode, _keys.KeySetId, grid, Packing, index, encrypted, plain, ciphertexts, EncryptDescriptors(descriptors));
    }

    private Ciphertext? EncryptDescriptors(ReadOnlySpan<float> descriptors)
    {
        if (descriptors.IsEmpty)
        {
            return null;
        }

        int level = Math.Min(DescriptorPacking.RequiredDepth, _keys.Parameters.MaxLevel);
        double[] vector = DescriptorPacking.Pack(descriptors, _keys.Parameters.SlotCount);
        return _encryptor.Encrypt(_encoder.Encode(vector, level, _keys.Parameters.DefaultScale));
    }

    private Ciphertext[] EncryptAll(double[][] vectors)
    {
        var result = new Ciphertext[vectors.Length];
        Parallel.For(0, vectors.Length, new ParallelOptions { MaxDegreeOfParallelism = _degreeOfParallelism }, i =>
            result[i] = _encryptor.Encrypt(_encoder.Encode(vectors[i], Level, _keys.Parameters.DefaultScale)));
        return result;
    }
}
