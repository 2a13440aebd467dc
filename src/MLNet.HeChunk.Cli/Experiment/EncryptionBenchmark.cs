using System.Diagnostics;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Cli.Reporting;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>Table 2: the client's encryption time per image in the paper's three settings, on the same images.</summary>
internal static class EncryptionBenchmark
{
    /// <summary>Encrypts each image in each mode and times encryption and serialization separately.</summary>
    public static List<EncryptionCost> Run(HeChunkKeys publicKeys, ChunkPacking packing, ChunkGrid grid, IReadOnlyList<PreparedImage> images,
        int threads, Action onImage)
    {
        var costs = new List<EncryptionCost>();
        foreach (EncryptionMode mode in new[] { EncryptionMode.WholeImage, EncryptionMode.AllChunks, EncryptionMode.FeatureChunks })
        {
            var encryptor = new ChunkGroupEncryptor(publicKeys, packing, mode, degreeOfParallelism: threads);
            // One untimed image first: the first call pays for JIT compilation and encoder tables.
            encryptor.Encrypt(grid, images[0].Chunks, images[0].ChunkIndex).ToBytes();
            double encryptMs = 0, serializeMs = 0, bytes = 0, ciphertexts = 0;
            foreach (PreparedImage image in images)
            {
                var watch = Stopwatch.StartNew();
                EncryptedChunkGroup group = encryptor.Encrypt(grid, image.Chunks, image.ChunkIndex);
                encryptMs += watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                byte[] serialized = group.ToBytes();
                serializeMs += watch.Elapsed.TotalMilliseconds;
                bytes += serialized.Length;
                ciphertexts += group.Ciphertexts.Count;
                onImage();
            }

            costs.Add(new EncryptionCost
            {
                Mode = mode.ToString(),
                Images = images.Count,
                EncryptMs = encryptMs / images.Count,
                SerializeMs = serializeMs / images.Count,
                Bytes = bytes / images.Count,
                Ciphertexts = ciphertexts / images.Count,
            });
        }

        return costs;
    }
}
