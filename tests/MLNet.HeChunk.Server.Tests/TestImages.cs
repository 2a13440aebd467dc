using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>Random 112x112 images encrypted as chunk groups (for tests that need valid ciphertexts, not real images).</summary>
internal static class TestImages
{
    public static readonly ChunkGrid Grid = new(112, 112, 28, 28);

    /// <summary><paramref name="count"/> serialized chunk groups; chunks 0, 5, 10 and 15 are encrypted, the others plain.</summary>
    public static byte[][] EncryptedGroups(HeChunkKeys keys, int count, int seed)
    {
        var random = new Random(seed);
        var encryptor = new ChunkGroupEncryptor(keys, new ChunkPacking(), EncryptionMode.FeatureChunks, useSecretKey: keys.HasSecretKey, degreeOfParallelism: 2);
        int[] index = Enumerable.Range(0, Grid.ChunkCount).Select(c => c % 5 == 0 ? c + 1 : -(c + 1)).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var image = new float[Grid.ImageLength];
            for (int i = 0; i < image.Length; i++)
            {
                image[i] = random.Next(256);
            }

            var chunks = new float[Grid.VectorLength];
            Grid.Split(image, chunks);
            return encryptor.Encrypt(Grid, chunks, index).ToBytes();
        }).ToArray();
    }
}
