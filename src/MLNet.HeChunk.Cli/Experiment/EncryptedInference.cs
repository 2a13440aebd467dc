using System.Diagnostics;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Cli.Reporting;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>
/// Client -> server -> client for each test image, as bytes cross the wire: the client encrypts and serializes, the
/// server (public keys only) deserializes, evaluates the chunk CNN on the ciphertexts and serializes the encrypted
/// scores, the client deserializes and decrypts. Each stage is timed.
/// </summary>
internal static class EncryptedInference
{
    /// <summary>The result of one mode.</summary>
    /// <param name="Logits">Decrypted logits per image.</param>
    /// <param name="Latency">Mean stage times and bytes (accuracy and agreement are filled in by the caller).</param>
    public sealed record Result(List<double[]> Logits, LatencyBreakdown Latency);

    /// <summary>Scores <paramref name="images"/> in <paramref name="mode"/>.</summary>
    public static Result Run(HeChunkKeys clientKeys, ChunkCnnWeights weights, ChunkGrid grid, EncryptionMode mode,
        IReadOnlyList<PreparedImage> images, int threads, Action onImage)
    {
        var packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels);
        HeChunkKeys serverKeys = clientKeys.PublicOnly();
        var encryptor = new ChunkGroupEncryptor(serverKeys, packing, mode, degreeOfParallelism: threads);
        var server = new EncryptedChunkCnn(weights, serverKeys, threads);
        var decryptor = new ScoreDecryptor(clientKeys);
        var logits = new List<double[]>(images.Count);
        double encryptMs = 0, serverMs = 0, decryptMs = 0, upload = 0, download = 0, ciphertexts = 0;
        foreach (PreparedImage image in images)
        {
            var watch = Stopwatch.StartNew();
            byte[] request = encryptor.Encrypt(grid, image.Chunks, image.ChunkIndex, weights.DescriptorHead is null ? default : image.Descriptors).ToBytes();
            encryptMs += watch.Elapsed.TotalMilliseconds;

            watch.Restart();
            EncryptedChunkGroup received = EncryptedChunkGroup.FromBytes(request, serverKeys);
            byte[] response = server.Score(received).ToBytes();
            serverMs += watch.Elapsed.TotalMilliseconds;

            watch.Restart();
            logits.Add(decryptor.DecryptLogits(EncryptedScores.FromBytes(response, clientKeys)));
            decryptMs += watch.Elapsed.TotalMilliseconds;

            upload += request.Length;
            download += response.Length;
            ciphertexts += received.Ciphertexts.Count;
            onImage();
        }

        int n = Math.Max(1, images.Count);
        return new Result(logits, new LatencyBreakdown
        {
            Mode = mode.ToString(),
            Images = images.Count,
            ClientEncryptMs = encryptMs / n,
            ServerEvaluateMs = serverMs / n,
            ClientDecryptMs = decryptMs / n,
            UploadBytes = upload / n,
            DownloadBytes = download / n,
            Ciphertexts = ciphertexts / n,
        });
    }
}
