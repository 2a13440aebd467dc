using System.Globalization;

namespace MLNet.HeChunk.Cli.Reporting;

/// <summary>The report's text, tables and figures, built from an <see cref="ExperimentReport"/> alone.</summary>
internal static class ReportContent
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The document.</summary>
    public static ReportDocument Build(ExperimentReport r)
    {
        var doc = new ReportDocument();
        doc.Heading(1, "hechunk experiment report");
        doc.Paragraph($"Command: `{r.Command}`. Finished {r.FinishedUtc}, {r.TotalSeconds.ToString("F0", Invariant)} s in all.");
        doc.Paragraph($"Data: `{r.Data.Folder}`{(r.Data.Synthetic ? " (built-in synthetic steel defects)" : "")}; {r.Data.Classes.Count} classes " +
            $"({string.Join(", ", r.Data.Classes)}); {r.Data.TrainImages} training and {r.Data.TestImages} test images, {r.Data.EncryptedTestImages} of them " +
            $"scored encrypted in each mode. Split: {r.Data.Split}. Images resized to 112 x 112 (centre crop), 76 texture descriptors of the colour " +
            $"image (encrypted for the descriptor head), then grayscale, histogram-equalized, cut into " +
            $"{r.Data.ChunkSide} x {r.Data.ChunkSide} chunks, Sobel gate threshold {Num(r.Data.Threshold, 0)}.");

        doc.Heading(2, "Accuracy");
        doc.Table(["model", "test images", "accuracy", "balanced accuracy", "macro F1", "log loss"],
            r.Models.Select(m => (IReadOnlyList<string>)[m.Model, m.Images.ToString(Invariant), Pct(m.Accuracy), Pct(m.MacroAccuracy), Pct(m.MacroF1), Num(m.LogLoss, 3)]));
        doc.Paragraph($"Baselines: the original CNN ({Pct(r.Accuracy.OriginalCnn)}) and a plaintext gradient-boosted model, {r.Accuracy.GradientBoostedBaselineDescription} " +
            $"({Pct(r.Accuracy.GradientBoostedBaseline)}). The encrypted chunk CNN with all chunks encrypted ({Pct(r.Accuracy.EncryptedChunkCnnAllChunks)}) " +
            $"**{(r.Accuracy.EncryptedBeatsBaselines ? "beats both" : "does not beat both")}**. Every design choice and default was fixed by cross-validation inside " +
            "training splits during development (docs/training.md); this run scores its test split once.");
        doc.Paragraph($"Plaintext vs encrypted chunk CNN (feature-chunk mode): **{Pct(r.Agreement)}** of predictions agree; the largest absolute " +
            $"logit difference over both encrypted modes is **{Num(r.MaxLogitError, 5)}**. On the images scored encrypted the plaintext chunk CNN reaches " +
            $"{Pct(r.Accuracy.PlainChunkCnnOnEncryptedImages)}.");
        doc.Image(ReportFiles.PerClassPng, "Figure 9 analogue: per-class test accuracy of the original CNN, the plaintext chunk CNN and the encrypted chunk CNN.");
        doc.Image(ReportFiles.ConfusionPng, "Figure 10 analogue: confusion matrices (rows: true class, columns: predicted; counts, shade = row fraction).");
        doc.Table(["model", "epochs", "best validation accuracy", "seconds"],
            r.Training.Select(t => (IReadOnlyList<string>)[t.Model, t.Epochs.ToString(Invariant), Pct(t.BestValidationAccuracy), Num(t.Seconds, 1)]));

        doc.Heading(2, "The gate");
        doc.Paragraph($"{Pct(r.FeatureChunkFraction)} of the test set's chunks are feature chunks (score > {Num(r.Data.Threshold, 0)}) and get encrypted; " +
            $"{Pct(r.Gate.ImagesWithoutFeatures)} of test images have no feature chunk (nothing encrypted) and {Pct(r.Gate.ImagesAllFeatures)} have every chunk gated.");
        doc.Table(["class", "feature chunks"], r.Data.Classes.Select((c, i) => (IReadOnlyList<string>)[c, i < r.Gate.FeatureFractionPerClass.Length ? Pct(r.Gate.FeatureFractionPerClass[i]) : "-"]));
        doc.Image(ReportFiles.GatePng, "Histogram of the chunk scores (mean Sobel magnitude, 0-255) on the test set; the red line is the threshold, orange bins are encrypted.");
        doc.Image(ReportFiles.SamplesPng, "Test images after the client pipeline; feature chunks (encrypted in feature mode) outlined in red.");

        doc.Heading(2, "Table 2 analogue: encryption time per image");
        doc.Table(["mode", "images", "encrypt ms/image", "serialize ms/image", "ciphertexts/image", "bytes/image"],
            r.EncryptionCosts.Select(c => (IReadOnlyList<string>)[c.Mode, c.Images.ToString(Invariant), Num(c.EncryptMs, 1), Num(c.SerializeMs, 1), Num(c.Ciphertexts, 1), Bytes(c.Bytes)]));
        doc.Paragraph($"CKKS parameters: {r.Keys.Parameters}; {r.SecurityBits}-bit security (HomomorphicEncryption.org table); key generation " +
            $"{Num(r.Keys.GenerationMs / 1000, 1)} s. This timing uses the public key (no secret key on the encrypting side) with 2 threads per image. " +
            "The chunk CNN's packing sends each convolution input once, two to a complex slot: two ciphertexts for all 16 chunks of 28 x 28 at N = 8192, " +
            "and two for any number of feature chunks, so feature-chunk mode saves nothing on the ciphertexts (it sends the other chunks in the clear); " +
            "the whole-image raster takes as many ciphertexts but cannot be scored by the chunk CNN.");

        doc.Heading(2, "Encrypted inference: latency and bytes on the wire");
        doc.Table(["mode", "images", "client pipeline ms", "client encrypt ms", "server evaluate ms", "client decrypt ms", "end to end ms", "upload/image", "download/image", "ciphertexts/image", "accuracy", "agreement", "max logit error"],
            r.Latency.Select(l => (IReadOnlyList<string>)[l.Mode, l.Images.ToString(Invariant), Num(l.ClientPrepareMs, 1), Num(l.ClientEncryptMs, 1), Num(l.ServerEvaluateMs, 0), Num(l.ClientDecryptMs, 1), Num(l.EndToEndMs, 0),
                Bytes(l.UploadBytes), Bytes(l.DownloadBytes), Num(l.Ciphertexts, 1), Pct(l.Accuracy), Pct(l.Agreement), Num(l.MaxLogitError, 5)]));
        doc.Paragraph($"Once per client: public key file {Bytes(r.Keys.PublicFileBytes)} (public key {Bytes(r.Keys.PublicKeyBytes)}, relinearization key " +
            $"{Bytes(r.Keys.RelinearizationKeyBytes)}, {r.Keys.GaloisKeyCount} Galois keys {Bytes(r.Keys.GaloisKeyBytes)}); evaluation keys {Bytes(r.EvaluationKeyBytes)}. " +
            $"The secret key file ({Bytes(r.Keys.SecretFileBytes)}) never leaves the client. Server times include deserializing the upload and serializing the scores; " +
            "the client encrypts with its secret key (seeded ciphertexts, half the bytes); end to end = client pipeline (timed over the whole set) + encryption + server + decryption, the network left out.");

        doc.Heading(2, "Table 1 analogue: key and ciphertext sizes");
        doc.Table(["N", "chain (bits)", "modulus bits", "max depth", "public key", "relin key", "Galois keys", "image", "chunks", "ciphertexts (all chunks)", "bytes (all chunks)", "ciphertexts (whole image)", "bytes (whole image)", "fits chunk CNN"],
            r.SizeTable.Select(t => (IReadOnlyList<string>)[t.N.ToString(Invariant), t.Chain, t.ModulusBits, t.MaxDepth.ToString(Invariant), Bytes(t.PublicKeyBytes), Bytes(t.RelinKeyBytes),
                $"{Bytes(t.GaloisKeyBytes)} ({t.GaloisKeys})", $"{t.ImageSide}x{t.ImageSide}", t.Chunks.ToString(Invariant), t.CiphertextsAllChunks.ToString(Invariant), Bytes(t.BytesAllChunks),
                t.CiphertextsWholeImage.ToString(Invariant), Bytes(t.BytesWholeImage), t.FitsChunkCnn ? "yes" : "no"]));
        doc.Paragraph(r.SizeTableNote);

        doc.Heading(2, "Privacy audit");
        doc.Paragraph($"Attacker: {r.Leakage.Attacker}. Features in feature-chunk mode: {r.Leakage.Features}.");
        doc.Table(["what the server sees", "attacker test accuracy"],
        [
            ["feature-chunk mode (the paper's method): plaintext non-feature chunks, gate signs, sizes", Pct(r.Leakage.AttackerAccuracy)],
            ["all-chunks mode: sizes only (the index travels without the gate's signs)", Pct(r.Leakage.AllChunksAttackerAccuracy)],
            ["feature mode's gate signs and sizes alone", Pct(r.Leakage.IndexOnlyAttackerAccuracy)],
            ["no encryption: the same statistics of every chunk", Pct(r.Leakage.PlaintextAttackerAccuracy)],
            ["chance (max of 1/K and the majority class)", Pct(r.Leakage.Chance)],
        ]);
        doc.Paragraph($"In feature-chunk mode the server sees **{Pct(r.Leakage.ClearPixelFraction)} of the test pixels in the clear**.");
        doc.Bullets(
            "**What selective encryption protects:** the pixels of the chunks the gate marks as features. The server computes on them without the secret key, and the scores it returns are encrypted too.",
            "**What it does not protect:** every non-feature chunk travels in the clear, so the server sees those pixels (above: the fraction of all pixels); the signed chunk index tells it which chunks hold texture; and the upload size reveals how many chunks were encrypted. " +
                "The attacker accuracy above measures how much of the class these leak: an attacker well above chance means the selective mode does not keep the class private.",
            "Smooth background chunks are not harmless: their gray level, contrast and texture statistics still differ by class, and an image with no feature chunk is sent entirely in the clear.",
            "Encrypting all chunks removes the pixel leak and the gate's verdict (all-chunks uploads carry every index positive); the upload size is then the same for every image.",
            "CKKS protects confidentiality against an honest-but-curious server only: it gives no integrity against a server that returns wrong scores.");

        doc.Heading(2, "Run time by step");
        doc.Table(["step", "seconds"], r.StepSeconds.Select(s => (IReadOnlyList<string>)[s.Key, Num(s.Value, 1)]));
        return doc;
    }

    private static string Pct(double value) => double.IsNaN(value) ? "-" : value.ToString("P1", Invariant);

    private static string Num(double value, int decimals) => value.ToString("F" + decimals.ToString(Invariant), Invariant);

    /// <summary>Bytes with a binary-prefix unit.</summary>
    public static string Bytes(double bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (1 << 30)).ToString("F2", Invariant) + " GiB",
        >= 1 << 20 => (bytes / (1 << 20)).ToString("F2", Invariant) + " MiB",
        >= 1 << 10 => (bytes / (1 << 10)).ToString("F1", Invariant) + " KiB",
        _ => bytes.ToString("F0", Invariant) + " B",
    };
}
