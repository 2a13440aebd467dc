using MLNet.HeChunk.Chunking;

namespace MLNet.HeChunk.Encryption;

/// <summary>Options of <see cref="HeChunkCatalog.EncryptChunks"/>; the layout settings describe the chunk vector read.</summary>
public sealed class ChunkEncryptionOptions : ChunkLayoutOptions
{
    /// <summary>The Sobel gate's signed index column (<c>Vector&lt;Int32, k&gt;</c>).</summary>
    public string IndexColumnName { get; set; } = "ChunkIndex";

    /// <summary>
    /// Column of texture descriptors to encrypt with the chunks (one more small ciphertext), when the input has it; null never
    /// sends descriptors. Default "Descriptors", the column <c>PrepareChunks</c> writes; a chunk CNN with a descriptor head needs it.
    /// </summary>
    public string? DescriptorsColumnName { get; set; } = "Descriptors";

    /// <summary>
    /// What to encrypt (default: every chunk, so the server sees no pixel; <see cref="EncryptionMode.FeatureChunks"/> is
    /// the paper's method and sends the non-feature chunks in the clear; see docs/threat-model.md).
    /// </summary>
    public EncryptionMode Mode { get; set; } = EncryptionMode.AllChunks;

    /// <summary>
    /// In <see cref="EncryptionMode.FeatureChunks"/> mode, an image whose gate marks no chunk would go to the server
    /// entirely in the clear. False (the default) refuses such an image with an <see cref="InvalidDataException"/>;
    /// set true only when sending those images in the clear is acceptable.
    /// </summary>
    public bool AllowImagesWithoutEncryptedChunk { get; set; }

    /// <summary>The slot packing; must match the convolution of the model that will score the data.</summary>
    public ChunkPacking Packing { get; set; } = new();

    /// <summary>
    /// Seeded secret-key encryption (half-size ciphertexts; the key set must then hold the secret key), or public-key
    /// encryption. Null, the default: seeded whenever the key set holds the secret key, as on the client that made it.
    /// </summary>
    public bool? UseSecretKey { get; set; }

    /// <summary>Ciphertexts of one image encrypted in parallel.</summary>
    public int DegreeOfParallelism { get; set; } = 1;

    /// <summary>The grid for a chunk vector of <paramref name="vectorLength"/> values and <paramref name="chunkCount"/> chunks.</summary>
    internal ChunkGrid ResolveChunkGrid(string column, int vectorLength, int chunkCount)
    {
        if (ValidateLayout() is ChunkGrid given)
        {
            if (given.VectorLength != vectorLength || given.ChunkCount != chunkCount)
            {
                throw Transforms.ColumnCheck.Mismatch("inputSchema", column,
                    $"Vector<Single, {given.VectorLength}> ({given.ChunkCount} chunks of {given.ChunkHeight} x {given.ChunkWidth}) with a {given.ChunkCount}-chunk index",
                    $"{vectorLength} values and {chunkCount} indices");
            }

            return given;
        }

        int chunkLength = ChunkHeight * ChunkWidth;
        int side = (int)Math.Round(Math.Sqrt(chunkCount));
        if (chunkCount == 0 || vectorLength != chunkCount * chunkLength || side * side != chunkCount)
        {
            throw Transforms.ColumnCheck.Mismatch("inputSchema", column,
                $"a square grid of {ChunkHeight} x {ChunkWidth} chunks (call UseGrid with the splitter's grid for other layouts)",
                $"{vectorLength} values with {chunkCount} chunk indices");
        }

        return new ChunkGrid(side * ChunkHeight, side * ChunkWidth, ChunkHeight, ChunkWidth, Padding);
    }
}
