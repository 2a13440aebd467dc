using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Ckks;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// One image as the server receives it: the paper's "block group". Chunks stay in their original order; the
/// encrypted ones travel as CKKS ciphertexts in the plane packing of <see cref="Packing"/>, the others (in
/// <see cref="EncryptionMode.FeatureChunks"/> mode) as plaintext pixels, together with the signed chunk index.
/// Serialized by <see cref="EncryptedChunkGroupFormat"/>, which checks a digest and every field on reading.
/// </summary>
public sealed class EncryptedChunkGroup
{
    internal EncryptedChunkGroup(
        EncryptionMode mode,
        string keySetId,
        ChunkGrid grid,
        ChunkPacking packing,
        int[] chunkIndex,
        int[] encryptedChunks,
        Dictionary<int, float[]> plainChunks,
        Ciphertext[] ciphertexts,
        Ciphertext? descriptorCiphertext = null)
    {
        Mode = mode;
        KeySetId = keySetId;
        Grid = grid;
        Packing = packing;
        ChunkIndex = chunkIndex;
        EncryptedChunks = encryptedChunks;
        PlainChunks = plainChunks;
        Ciphertexts = ciphertexts;
        DescriptorCiphertext = descriptorCiphertext;
    }

    /// <summary>
    /// The image's texture descriptors, encrypted (one ciphertext, the descriptor vector repeated across the slots), or
    /// null when the group was encrypted without them. Models with a descriptor head need it.
    /// </summary>
    public Ciphertext? DescriptorCiphertext { get; }

    /// <summary>What was encrypted.</summary>
    public EncryptionMode Mode { get; }

    /// <summary>The key set the ciphertexts are encrypted under.</summary>
    public string KeySetId { get; }

    /// <summary>Image and chunk geometry.</summary>
    public ChunkGrid Grid { get; }

    /// <summary>The slot packing of the ciphertexts.</summary>
    public ChunkPacking Packing { get; }

    /// <summary>
    /// The paper's signed chunk index: +i for feature chunk i (1-based), -i otherwise. Only in
    /// <see cref="EncryptionMode.FeatureChunks"/> mode; the other modes send +i for every chunk, so the server does not
    /// learn the gate's verdict.
    /// </summary>
    public IReadOnlyList<int> ChunkIndex { get; }

    /// <summary>0-based numbers of the encrypted chunks, ascending (empty in whole-image mode).</summary>
    public IReadOnlyList<int> EncryptedChunks { get; }

    /// <summary>Pixels (0-255, row-major) of the chunks sent in the clear, by 0-based chunk number.</summary>
    public IReadOnlyDictionary<int, float[]> PlainChunks { get; }

    /// <summary>The ciphertexts: the planes of the encrypted chunks, or the raster image in whole-image mode.</summary>
    public IReadOnlyList<Ciphertext> Ciphertexts { get; }

    /// <summary>Serializes the group (see <see cref="EncryptedChunkGroupFormat"/>).</summary>
    public byte[] ToBytes() => EncryptedChunkGroupFormat.Write(this);

    /// <summary>Reads a group written by <see cref="ToBytes"/>, encrypted under <paramref name="keys"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are damaged or tampered with, or belong to another key set.</exception>
    public static EncryptedChunkGroup FromBytes(ReadOnlySpan<byte> bytes, HeChunkKeys keys) => EncryptedChunkGroupFormat.Read(bytes, keys);
}
