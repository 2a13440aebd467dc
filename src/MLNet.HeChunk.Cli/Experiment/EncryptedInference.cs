using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Cli.Reporting;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>
/// Encrypted scoring of the test set through the transforms a user chains, image by image as bytes cross the wire, each
/// side timed: the client's <c>EncryptChunks</c> writes the upload (<c>EncryptedChunks</c>), the server's
/// <c>ScoreEncryptedChunkCnn</c> (public keys only) answers with <c>EncryptedScores</c>, and the client's
/// <c>DecryptScores</c> turns the answers into Score and PredictedLabel for <c>MulticlassClassification.Evaluate</c>.
/// </summary>
internal static class EncryptedInference
{
    /// <summary>The result of one mode.</summary>
    /// <param name="Decrypted">The client's decrypted answers: Label (text, as the client kept it), Score, PredictedLabel.</param>
    /// <param name="Logits">The decrypted logits of the same answers (for the largest logit error against the plaintext model).</param>
    /// <param name="Latency">Mean stage times and bytes (accuracy and agreement are filled in by the caller).</param>
    public sealed record Result(IDataView Decrypted, List<double[]> Logits, LatencyBreakdown Latency);

    /// <summary>Scores <paramref name="images"/> (the client pipeline's rows, Label a key of the class names) in <paramref name="mode"/>.</summary>
    public static Result Run(MLContext ml, HeChunkKeys clientKeys, ChunkCnnScoringTransformer scorer, EncryptionMode mode,
        IDataView images, int threads, Action onImage)
    {
        ChunkCnnWeights weights = scorer.Weights;
        HeChunkKeys publicKeys = clientKeys.PublicOnly();

        // Client: the encryptor appended to the client pipeline, with the client's own key set: seeded secret-key
        // encryption, half the upload (ChunkEncryptionOptions.UseSecretKey's default when the secret key is there). The
        // paper's feature mode sends images without a feature chunk in the clear; the experiment measures that mode on
        // every test image, so it allows them.
        ChunkEncryptingTransformer encrypt = ml.Transforms.EncryptChunks("EncryptedChunks", clientKeys, "Chunks", new ChunkEncryptionOptions
        {
            Mode = mode, Packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels), DegreeOfParallelism = threads,
            ChunkHeight = weights.ChunkSize, ChunkWidth = weights.ChunkSize, AllowImagesWithoutEncryptedChunk = true,
            DescriptorsColumnName = weights.DescriptorHead is null ? null : "Descriptors",
        }).Fit(images);
        IDataView uploads = encrypt.Transform(images);

        // Server: the trained weights and the public keys.
        var server = ml.Transforms.ScoreEncryptedChunkCnn(weights, publicKeys, degreeOfParallelism: threads).Fit(uploads);

        var answers = new List<Answer>();
        // The client keeps the labels (Label is a key of the class names); the upload carries none.
        var labels = images.GetColumn<uint>("Label").Select(k => scorer.ClassNames[(int)k - 1]).ToList();
        double encryptMs = 0, serverMs = 0, upload = 0, download = 0, ciphertexts = 0;
        using (DataViewRowCursor cursor = uploads.GetRowCursor(uploads.Schema.Where(c => c.Name == "EncryptedChunks")))
        {
            ValueGetter<VBuffer<byte>> getUpload = cursor.GetGetter<VBuffer<byte>>(uploads.Schema["EncryptedChunks"]);
            VBuffer<byte> buffer = default;
            var watch = Stopwatch.StartNew();
            while (cursor.MoveNext())
            {
                // Client: EncryptChunks runs when the row is read.
                getUpload(ref buffer);
                byte[] request = buffer.DenseValues().ToArray();
                encryptMs += watch.Elapsed.TotalMilliseconds;

                // Server: only the upload crosses the wire.
                watch.Restart();
                byte[] response = server.Transform(ml.Data.LoadFromEnumerable(new[] { new Upload { EncryptedChunks = request } }))
                    .GetColumn<byte[]>("EncryptedScores").Single();
                serverMs += watch.Elapsed.TotalMilliseconds;

                upload += request.Length;
                download += response.Length;
                ciphertexts += EncryptedChunkGroup.FromBytes(request, publicKeys).Ciphertexts.Count;
                answers.Add(new Answer { Label = labels[answers.Count], EncryptedScores = response });
                onImage();
                watch.Restart();
            }
        }

        // Client: the answers joined with the labels the client kept, decrypted in one pass.
        IDataView answered = ml.Data.LoadFromEnumerable(answers);
        var decryptWatch = Stopwatch.StartNew();
        // Cached with every column prefetched, so that this one pass decrypts each answer once and later reads are free.
        IDataView decrypted = ml.Data.Cache(ml.Transforms.DecryptScores(clientKeys, scorer.ClassNames).Fit(answered).Transform(answered),
            "Label", "Score", "PredictedLabel");
        _ = decrypted.GetColumn<uint>("PredictedLabel").Count();
        double decryptMs = decryptWatch.Elapsed.TotalMilliseconds;

        // The largest logit error needs the logits themselves, which DecryptScores turns into probabilities.
        var decryptor = new ScoreDecryptor(clientKeys);
        List<double[]> logits = [.. answers.Select(a => decryptor.DecryptLogits(EncryptedScores.FromBytes(a.EncryptedScores, clientKeys)))];

        int n = Math.Max(1, answers.Count);
        return new Result(decrypted, logits, new LatencyBreakdown
        {
            Mode = mode.ToString(),
            Images = answers.Count,
            ClientEncryptMs = encryptMs / n,
            ServerEvaluateMs = serverMs / n,
            ClientDecryptMs = decryptMs / n,
            UploadBytes = upload / n,
            DownloadBytes = download / n,
            Ciphertexts = ciphertexts / n,
        });
    }

    private sealed class Upload
    {
        public byte[] EncryptedChunks { get; set; } = [];
    }

    private sealed class Answer
    {
        public string Label { get; set; } = "";

        public byte[] EncryptedScores { get; set; } = [];
    }
}
