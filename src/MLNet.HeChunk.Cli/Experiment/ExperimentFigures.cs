using MLNet.HeChunk.Ckks.Serialization;
using MLNet.HeChunk.Cli.Reporting;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>The report's figures, computed from what the experiment's steps returned.</summary>
internal static class ExperimentFigures
{
    /// <summary>A training record from the original CNN's history.</summary>
    public static TrainingSummary Training(string model, TrainingHistory? history) => Training(model, history?.Epochs ?? [], history?.TotalSeconds);

    /// <summary>A training record from the epochs a trainer reported.</summary>
    public static TrainingSummary Training(string model, IReadOnlyList<EpochProgress> epochs, double? seconds = null) => new()
    {
        Model = model,
        Epochs = epochs.Count,
        BestValidationAccuracy = epochs.Count == 0 ? 0 : epochs.Max(e => e.ValidationAccuracy ?? 0),
        Seconds = seconds ?? epochs.Sum(e => e.Seconds),
    };

    /// <summary>The gate's score histogram and feature fractions over the test images.</summary>
    public static GateSummary Gate(IReadOnlyList<PreparedImage> images, int classCount)
    {
        const double BinWidth = 8;
        var histogram = new int[(int)Math.Ceiling(256 / BinWidth)];
        foreach (float score in images.SelectMany(i => i.ChunkScores))
        {
            histogram[Math.Clamp((int)(score / BinWidth), 0, histogram.Length - 1)]++;
        }

        return new GateSummary
        {
            BinWidth = BinWidth,
            Histogram = histogram,
            FeatureFractionPerClass = [.. Enumerable.Range(0, classCount).Select(c =>
            {
                var members = images.Where(i => i.ClassIndex == c).ToList();
                return members.Count == 0 ? double.NaN : members.Sum(i => i.FeatureChunkCount) / (double)members.Sum(i => i.ChunkIndex.Length);
            })],
            ImagesWithoutFeatures = images.Count(i => i.FeatureChunkCount == 0) / (double)images.Count,
            ImagesAllFeatures = images.Count(i => i.FeatureChunkCount == i.ChunkIndex.Length) / (double)images.Count,
        };
    }

    /// <summary>Sizes of the generated keys and of the files written.</summary>
    public static KeySummary Keys(HeChunkKeys keys, string publicFile, string secretFile, double generationMs) => new()
    {
        Parameters = keys.Parameters.ToString(),
        N = keys.Parameters.N,
        TotalModulusBits = keys.Parameters.TotalModulusBits,
        Depth = keys.Parameters.MaxLevel,
        PublicKeyBytes = CkksSerializer.GetSerializedSize(keys.PublicKey),
        RelinearizationKeyBytes = CkksSerializer.GetSerializedSize(keys.RelinearizationKey),
        GaloisKeyBytes = CkksSerializer.GetSerializedSize(keys.GaloisKeys),
        GaloisKeyCount = keys.GaloisKeys.GaloisElements.Count,
        PublicFileBytes = new FileInfo(publicFile).Length,
        SecretFileBytes = new FileInfo(secretFile).Length,
        GenerationMs = generationMs,
    };

    /// <summary>One mode's stage times and bytes, with its accuracy, its agreement with the plaintext model and its largest logit error.</summary>
    public static LatencyBreakdown Latency(EncryptedInference.Result result, ModelResult encrypted, ModelResult plain, IReadOnlyList<double[]> plainLogits)
    {
        LatencyBreakdown latency = result.Latency;
        int n = encrypted.Predictions.Length;
        latency.Accuracy = encrypted.Accuracy;
        latency.Agreement = n == 0 ? 1 : encrypted.Predictions.Zip(plain.Predictions).Count(p => p.First == p.Second) / (double)n;
        latency.MaxLogitError = result.Logits.Zip(plainLogits).SelectMany(p => p.First.Zip(p.Second, (a, b) => Math.Abs(a - b))).DefaultIfEmpty(0).Max();
        return latency;
    }

    /// <summary>The headline figures: accuracies, agreement (the worse of the two modes) and the costs of the default all-chunks mode, the models table.</summary>
    public static void Summarize(ExperimentReport report, ModelResult original, ModelResult baseline, ModelResult plain, ModelResult plainOnScored,
        IReadOnlyDictionary<EncryptionMode, ModelResult> encrypted, string baselineDescription)
    {
        LatencyBreakdown all = report.Latency.Single(l => l.Mode == nameof(EncryptionMode.AllChunks));
        report.Agreement = report.Latency.Min(l => l.Agreement);
        report.MaxLogitError = report.Latency.Max(l => l.MaxLogitError);
        report.InferenceMsPerImage = all.ServerEvaluateMs;
        report.UploadBytesPerImage = all.UploadBytes;
        report.EndToEndMsPerImage = all.EndToEndMs;
        report.Accuracy = new AccuracySummary
        {
            OriginalCnn = original.Accuracy,
            PlainChunkCnn = plain.Accuracy,
            EncryptedChunkCnn = encrypted[EncryptionMode.FeatureChunks].Accuracy,
            EncryptedChunkCnnAllChunks = encrypted[EncryptionMode.AllChunks].Accuracy,
            PlainChunkCnnOnEncryptedImages = plainOnScored.Accuracy,
            GradientBoostedBaseline = baseline.Accuracy,
            GradientBoostedBaselineDescription = baselineDescription,
            EncryptedBeatsBaselines = encrypted[EncryptionMode.AllChunks].Accuracy > Math.Max(original.Accuracy, baseline.Accuracy),
        };
        report.Models = [original, baseline, plain, encrypted[EncryptionMode.FeatureChunks], encrypted[EncryptionMode.AllChunks]];
    }

    /// <summary>The note under Table 1, with the check of its formula against this run's keys.</summary>
    public static string SizeTableNote(HeChunkKeys keys, List<SizeTableRow> rows)
    {
        // The formula is checked against this run's real keys; a mismatch is reported, not hidden.
        SizeTableRow row = rows.First(r => r.N == keys.Parameters.N);
        bool publicOk = row.PublicKeyBytes == CkksSerializer.GetSerializedSize(keys.PublicKey);
        bool relinOk = row.RelinKeyBytes == CkksSerializer.GetSerializedSize(keys.RelinearizationKey);
        bool galoisOk = row.GaloisKeyBytes == CkksSerializer.GetSerializedSize(keys.GaloisKeys);
        string check = publicOk && relinOk && galoisOk
            ? $"At N = {keys.Parameters.N} the computed public, relinearization and Galois key sizes equal the serialized sizes of this run's generated keys byte for byte."
            : $"WARNING: at N = {keys.Parameters.N} the computed sizes differ from this run's serialized keys (public {publicOk}, relin {relinOk}, Galois {galoisOk}).";
        return "Each row is a real parameter set created by the engine (prime generation and the 128-bit security check apply): the deepest chain of the " +
            "chunk CNN's shape (q0 33 bits, 28-bit rescaling primes, 45-bit special prime) under the HomomorphicEncryption.org bound. Sizes are computed " +
            "from the documented serialization format (docs/serialization.md) rather than from generated keys, because generating N = 32768 keys with " +
            $"dozens of primes would take minutes. {check} Ciphertexts are fresh public-key ciphertexts at level min(5, max level); 200 x 200 images are " +
            "zero-padded to whole chunks; where one image's chunks do not fit one ciphertext's slots they are counted as several chunk groups (the scorer " +
            "takes one group at a time; splitting an image into groups is computed here, not implemented).";
    }
}
