using System.Numerics;
using MLNet.HeChunk.Ckks;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// Client-side inverse of <see cref="ChunkGroupEncryptor"/>: recovers the chunk pixels (0-255) of a group, to check a
/// round trip or to audit what was sent. Encrypted pixels come back with CKKS's approximation error; plaintext chunks
/// come back bit-identical. A pixel that no convolution window reads (possible with some strides) is not sent and
/// comes back as NaN.
/// </summary>
public sealed class ChunkGroupDecryptor
{
    private readonly HeChunkKeys _keys;
    private readonly Decryptor _decryptor;
    private readonly CkksEncoder _encoder;

    /// <summary>Creates the decryptor; <paramref name="keys"/> must hold the secret key.</summary>
    public ChunkGroupDecryptor(HeChunkKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _decryptor = new Decryptor(keys.Parameters, keys.SecretKey ?? throw new ArgumentException("decryption needs the secret key", nameof(keys)));
        _encoder = new CkksEncoder(keys.Parameters);
    }

    /// <summary>The group's chunk-major pixel vector.</summary>
    /// <exception cref="InvalidDataException">The group belongs to another key set.</exception>
    public float[] DecryptChunks(EncryptedChunkGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.KeySetId != _keys.KeySetId)
        {
            throw new InvalidDataException($"the group is encrypted under key set {group.KeySetId}, these keys are key set {_keys.KeySetId}");
        }

        var grid = group.Grid;
        var chunks = new float[grid.VectorLength];
        if (group.Mode == EncryptionMode.WholeImage)
        {
            double[][] slots = group.Ciphertexts.Select(c => _encoder.DecodeReal(_decryptor.Decrypt(c))).ToArray();
            var image = new float[grid.ImageLength];
            int n = _keys.Parameters.SlotCount;
            for (int i = 0; i < image.Length; i++)
            {
                image[i] = (float)(slots[i / n][i % n] * ChunkGroupEncryptor.PixelRange);
            }

            grid.Split(image, chunks);
            return chunks;
        }

        Array.Fill(chunks, float.NaN);
        int length = grid.ChunkLength;
        foreach ((int chunk, float[] pixels) in group.PlainChunks)
        {
            pixels.CopyTo(chunks, chunk * length);
        }

        if (group.EncryptedChunks.Count == 0)
        {
            return chunks;
        }

        var layout = new PlaneLayout(group.Packing, grid.ChunkHeight, _keys.Parameters.SlotCount, group.EncryptedChunks.Count);
        Complex[][] vectors = group.Ciphertexts.Select(c => _encoder.Decode(_decryptor.Decrypt(c))).ToArray();
        float[][] decrypted = group.EncryptedChunks.Select(_ => new float[length]).ToArray();
        layout.Unpack(vectors, 1.0 / ChunkGroupEncryptor.PixelRange, decrypted);
        for (int e = 0; e < decrypted.Length; e++)
        {
            decrypted[e].CopyTo(chunks, group.EncryptedChunks[e] * length);
        }

        return chunks;
    }
}
