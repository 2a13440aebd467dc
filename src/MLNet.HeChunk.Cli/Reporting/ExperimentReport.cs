using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNet.HeChunk.Cli.Reporting;

/// <summary>
/// Everything a run measured: written as report.json (camelCase) and the only input of report.md and report.html, so
/// <c>hechunk report</c> can redraw them. Times in milliseconds, sizes in bytes, accuracies as fractions.
/// </summary>
public sealed class ExperimentReport
{
    /// <summary>Options of the JSON file.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The command that produced the report.</summary>
    public string Command { get; set; } = "";

    /// <summary>When the run finished (UTC, ISO 8601).</summary>
    public string FinishedUtc { get; set; } = "";

    /// <summary>Wall-clock seconds of the whole run.</summary>
    public double TotalSeconds { get; set; }

    /// <summary>Seconds of each step.</summary>
    public Dictionary<string, double> StepSeconds { get; set; } = [];

    /// <summary>The data set and split.</summary>
    public DataSummary Data { get; set; } = new();

    /// <summary>Test accuracy of the three models.</summary>
    public AccuracySummary Accuracy { get; set; } = new();

    /// <summary>Fraction of test images on which the plaintext and encrypted chunk CNN (feature mode) predict the same class.</summary>
    public double Agreement { get; set; }

    /// <summary>Largest absolute difference between plaintext and decrypted logits over both encrypted modes.</summary>
    public double MaxLogitError { get; set; }

    /// <summary>Fraction of the test set's chunks the gate marked as features.</summary>
    public double FeatureChunkFraction { get; set; }

    /// <summary>Client encryption time per image in the paper's three settings (Table 2).</summary>
    public EncryptionTimes EncryptionMsPerImage { get; set; } = new();

    /// <summary>Server time per image of encrypted inference with all chunks encrypted (the default mode), deserialization and serialization included.</summary>
    public double InferenceMsPerImage { get; set; }

    /// <summary>Mean upload per image (serialized encrypted chunk group) with all chunks encrypted, seeded secret-key encryption.</summary>
    public double UploadBytesPerImage { get; set; }

    /// <summary>
    /// One image from its file to its decrypted scores with all chunks encrypted, everything counted but the network:
    /// the client pipeline, encryption and serialization, the server's deserialization, evaluation and serialization,
    /// the client's decryption (the CLI's own figure beside the BenchmarkDotNet end-to-end benchmark).
    /// </summary>
    public double EndToEndMsPerImage { get; set; }

    /// <summary>Relinearization plus Galois keys the server needs, serialized.</summary>
    public long EvaluationKeyBytes { get; set; }

    /// <summary>Security level of the parameter set used (HomomorphicEncryption.org table, classical).</summary>
    public int SecurityBits { get; set; }

    /// <summary>The privacy audit.</summary>
    public LeakageSummary Leakage { get; set; } = new();

    /// <summary>The CKKS parameter set and key sizes used.</summary>
    public KeySummary Keys { get; set; } = new();

    /// <summary>Encrypted inference, stage by stage, in each scored mode.</summary>
    public List<LatencyBreakdown> Latency { get; set; } = [];

    /// <summary>Table 2 with bytes: per mode, time and size of one image's encryption.</summary>
    public List<EncryptionCost> EncryptionCosts { get; set; } = [];

    /// <summary>Table 1 analogue.</summary>
    public List<SizeTableRow> SizeTable { get; set; } = [];

    /// <summary>How the Table 1 sizes were obtained.</summary>
    public string SizeTableNote { get; set; } = "";

    /// <summary>Per model: accuracy, per-class accuracy and confusion matrix.</summary>
    public List<ModelResult> Models { get; set; } = [];

    /// <summary>The gate on the test set: score histogram and per-class gated fractions.</summary>
    public GateSummary Gate { get; set; } = new();

    /// <summary>Training histories.</summary>
    public List<TrainingSummary> Training { get; set; } = [];

    /// <summary>Reads a report.json.</summary>
    /// <exception cref="CliException">Missing or unreadable file.</exception>
    public static ExperimentReport Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"report file '{path}' does not exist (run hechunk experiment first)");
        }

        try
        {
            return JsonSerializer.Deserialize<ExperimentReport>(File.ReadAllText(path), JsonOptions)
                ?? throw new CliException($"report file '{path}' is empty");
        }
        catch (JsonException e)
        {
            throw new CliException($"report file '{path}' is not a valid report: {e.Message}");
        }
    }

    /// <summary>Writes report.json.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
}

/// <summary>The data set of a run.</summary>
public sealed class DataSummary
{
    /// <summary>The folder read.</summary>
    public string Folder { get; set; } = "";

    /// <summary>Whether it is the built-in synthetic set.</summary>
    public bool Synthetic { get; set; }

    /// <summary>Class names in model order.</summary>
    public List<string> Classes { get; set; } = [];

    /// <summary>Training images.</summary>
    public int TrainImages { get; set; }

    /// <summary>Test images.</summary>
    public int TestImages { get; set; }

    /// <summary>Test images scored encrypted (per mode).</summary>
    public int EncryptedTestImages { get; set; }

    /// <summary>How the split was made.</summary>
    public string Split { get; set; } = "";

    /// <summary>Gate threshold.</summary>
    public double Threshold { get; set; }

    /// <summary>Chunk side in pixels.</summary>
    public int ChunkSide { get; set; }
}

/// <summary>Test accuracy of the three models.</summary>
public sealed class AccuracySummary
{
    /// <summary>The plaintext baseline CNN.</summary>
    public double OriginalCnn { get; set; }

    /// <summary>The chunk CNN on plaintext chunks.</summary>
    public double PlainChunkCnn { get; set; }

    /// <summary>The chunk CNN on encrypted feature chunks (decrypted scores).</summary>
    public double EncryptedChunkCnn { get; set; }

    /// <summary>The chunk CNN on all chunks encrypted.</summary>
    public double EncryptedChunkCnnAllChunks { get; set; }

    /// <summary>The plaintext chunk CNN on exactly the images scored encrypted.</summary>
    public double PlainChunkCnnOnEncryptedImages { get; set; }

    /// <summary>The plaintext gradient-boosted baseline on texture descriptors.</summary>
    public double GradientBoostedBaseline { get; set; }

    /// <summary>What the gradient-boosted baseline is.</summary>
    public string GradientBoostedBaselineDescription { get; set; } = "";

    /// <summary>True when the encrypted chunk CNN (all chunks encrypted) is more accurate than both plaintext baselines on the test split.</summary>
    public bool EncryptedBeatsBaselines { get; set; }
}

/// <summary>Encryption time per image in each mode.</summary>
public sealed class EncryptionTimes
{
    /// <summary>Whole image as one raster vector.</summary>
    public double WholeImage { get; set; }

    /// <summary>All chunks.</summary>
    public double AllChunks { get; set; }

    /// <summary>Feature chunks only.</summary>
    public double FeatureChunks { get; set; }
}

/// <summary>One mode's encryption cost.</summary>
public sealed class EncryptionCost
{
    /// <summary>The mode.</summary>
    public string Mode { get; set; } = "";

    /// <summary>Images timed.</summary>
    public int Images { get; set; }

    /// <summary>Mean milliseconds of encryption (encoding and encrypting every ciphertext).</summary>
    public double EncryptMs { get; set; }

    /// <summary>Mean milliseconds of serialization.</summary>
    public double SerializeMs { get; set; }

    /// <summary>Mean ciphertexts per image.</summary>
    public double Ciphertexts { get; set; }

    /// <summary>Mean serialized bytes per image.</summary>
    public double Bytes { get; set; }
}

/// <summary>Encrypted inference in one mode, stage by stage.</summary>
public sealed class LatencyBreakdown
{
    /// <summary>The mode.</summary>
    public string Mode { get; set; } = "";

    /// <summary>Images scored.</summary>
    public int Images { get; set; }

    /// <summary>Client: the client pipeline (decode, resize, equalize, chunks, gate, descriptors) per image, timed over the whole set.</summary>
    public double ClientPrepareMs { get; set; }

    /// <summary>Client: encrypt and serialize one image.</summary>
    public double ClientEncryptMs { get; set; }

    /// <summary>Server: deserialize, evaluate the CNN, serialize the scores.</summary>
    public double ServerEvaluateMs { get; set; }

    /// <summary>Client: deserialize and decrypt the scores.</summary>
    public double ClientDecryptMs { get; set; }

    /// <summary>The four stages added: one image from its file to its decrypted scores, the network left out.</summary>
    public double EndToEndMs => ClientPrepareMs + ClientEncryptMs + ServerEvaluateMs + ClientDecryptMs;

    /// <summary>Bytes client to server per image.</summary>
    public double UploadBytes { get; set; }

    /// <summary>Bytes server to client per image.</summary>
    public double DownloadBytes { get; set; }

    /// <summary>Mean ciphertexts per image.</summary>
    public double Ciphertexts { get; set; }

    /// <summary>Accuracy of the decrypted scores.</summary>
    public double Accuracy { get; set; }

    /// <summary>Agreement with the plaintext chunk CNN.</summary>
    public double Agreement { get; set; }

    /// <summary>Largest |plaintext logit - decrypted logit|.</summary>
    public double MaxLogitError { get; set; }
}

/// <summary>The CKKS parameters and keys of the run.</summary>
public sealed class KeySummary
{
    /// <summary>The parameter set, as the engine prints it.</summary>
    public string Parameters { get; set; } = "";

    /// <summary>Ring degree N.</summary>
    public int N { get; set; }

    /// <summary>Total modulus bits (Q and P).</summary>
    public int TotalModulusBits { get; set; }

    /// <summary>Multiplicative depth (levels).</summary>
    public int Depth { get; set; }

    /// <summary>Public key file bytes (public, relinearization and Galois keys, parameters).</summary>
    public long PublicFileBytes { get; set; }

    /// <summary>Public encryption key bytes.</summary>
    public long PublicKeyBytes { get; set; }

    /// <summary>Relinearization key bytes.</summary>
    public long RelinearizationKeyBytes { get; set; }

    /// <summary>Galois keys bytes.</summary>
    public long GaloisKeyBytes { get; set; }

    /// <summary>Number of Galois keys (rotations).</summary>
    public int GaloisKeyCount { get; set; }

    /// <summary>Secret key file bytes.</summary>
    public long SecretFileBytes { get; set; }

    /// <summary>Key generation time.</summary>
    public double GenerationMs { get; set; }
}

/// <summary>One row of the Table 1 analogue.</summary>
public sealed class SizeTableRow
{
    /// <summary>Ring degree.</summary>
    public int N { get; set; }

    /// <summary>The modulus chain used ("Q bits + P bits").</summary>
    public string Chain { get; set; } = "";

    /// <summary>Total modulus bits and the 128-bit bound.</summary>
    public string ModulusBits { get; set; } = "";

    /// <summary>Maximum multiplicative depth at 128-bit security with this chain.</summary>
    public int MaxDepth { get; set; }

    /// <summary>Public key bytes.</summary>
    public long PublicKeyBytes { get; set; }

    /// <summary>Relinearization key bytes.</summary>
    public long RelinKeyBytes { get; set; }

    /// <summary>Galois keys for the chunk CNN's rotations.</summary>
    public long GaloisKeyBytes { get; set; }

    /// <summary>Galois key count.</summary>
    public int GaloisKeys { get; set; }

    /// <summary>Image side (112 or 200).</summary>
    public int ImageSide { get; set; }

    /// <summary>Chunks per image.</summary>
    public int Chunks { get; set; }

    /// <summary>Ciphertexts per image, all chunks encrypted (plane packing of the chunk CNN).</summary>
    public int CiphertextsAllChunks { get; set; }

    /// <summary>Bytes per image, all chunks encrypted.</summary>
    public long BytesAllChunks { get; set; }

    /// <summary>Ciphertexts per image, whole image as one raster vector.</summary>
    public int CiphertextsWholeImage { get; set; }

    /// <summary>Bytes per image, whole image.</summary>
    public long BytesWholeImage { get; set; }

    /// <summary>Whether the chunk CNN's depth fits this N at 128 bits.</summary>
    public bool FitsChunkCnn { get; set; }

    /// <summary>"serialized" when measured on generated keys, "format" when computed from the byte layout.</summary>
    public string Source { get; set; } = "";
}

/// <summary>Test results of one model.</summary>
public sealed class ModelResult
{
    /// <summary>Model name.</summary>
    public string Model { get; set; } = "";

    /// <summary>Images evaluated.</summary>
    public int Images { get; set; }

    /// <summary>Micro accuracy.</summary>
    public double Accuracy { get; set; }

    /// <summary>Macro accuracy: the mean of the per-class recalls (balanced accuracy).</summary>
    public double MacroAccuracy { get; set; }

    /// <summary>Macro F1: the mean over classes of 2 TP / (actual + predicted).</summary>
    public double MacroF1 { get; set; }

    /// <summary>Log loss.</summary>
    public double LogLoss { get; set; }

    /// <summary>Recall of each class.</summary>
    public double[] PerClassAccuracy { get; set; } = [];

    /// <summary>Confusion counts: row = true class, column = predicted.</summary>
    public int[][] Confusion { get; set; } = [];

    /// <summary>Predicted class per evaluated image (not written to JSON).</summary>
    [JsonIgnore]
    public int[] Predictions { get; set; } = [];
}

/// <summary>The gate on the test set.</summary>
public sealed class GateSummary
{
    /// <summary>Histogram bin width (score units).</summary>
    public double BinWidth { get; set; }

    /// <summary>Chunk counts per bin, from 0 up.</summary>
    public int[] Histogram { get; set; } = [];

    /// <summary>Per class: fraction of chunks gated as features.</summary>
    public double[] FeatureFractionPerClass { get; set; } = [];

    /// <summary>Fraction of images with no feature chunk.</summary>
    public double ImagesWithoutFeatures { get; set; }

    /// <summary>Fraction of images with every chunk a feature.</summary>
    public double ImagesAllFeatures { get; set; }
}

/// <summary>The privacy audit.</summary>
public sealed class LeakageSummary
{
    /// <summary>Attacker's test accuracy on what the server sees in feature-chunk mode.</summary>
    public double AttackerAccuracy { get; set; }

    /// <summary>Chance level: the larger of 1/K and the test set's majority class fraction.</summary>
    public double Chance { get; set; }

    /// <summary>Attacker's accuracy on what the server sees with all chunks encrypted.</summary>
    public double AllChunksAttackerAccuracy { get; set; }

    /// <summary>Attacker's accuracy on the same statistics of every chunk in the clear (no encryption): the ceiling.</summary>
    public double PlaintextAttackerAccuracy { get; set; }

    /// <summary>Attacker on feature mode's index signs and ciphertext count alone.</summary>
    public double IndexOnlyAttackerAccuracy { get; set; }

    /// <summary>Fraction of test pixels the server sees in the clear in feature-chunk mode.</summary>
    public double ClearPixelFraction { get; set; }

    /// <summary>The attacker model.</summary>
    public string Attacker { get; set; } = "";

    /// <summary>The features given to it in feature-chunk mode.</summary>
    public string Features { get; set; } = "";
}

/// <summary>One model's training.</summary>
public sealed class TrainingSummary
{
    /// <summary>Model name.</summary>
    public string Model { get; set; } = "";

    /// <summary>Epochs run.</summary>
    public int Epochs { get; set; }

    /// <summary>Best validation accuracy.</summary>
    public double BestValidationAccuracy { get; set; }

    /// <summary>Seconds.</summary>
    public double Seconds { get; set; }
}
