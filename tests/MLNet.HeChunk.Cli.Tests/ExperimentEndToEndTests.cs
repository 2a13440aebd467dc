using System.Text.Json;
using MLNet.HeChunk.Cli.Reporting;

namespace MLNet.HeChunk.Cli.Tests;

/// <summary>
/// A tiny <c>hechunk experiment</c> on the built-in synthetic data (8 images per class, 2 epochs, 6 test images, 2 scored
/// encrypted), then <c>report</c> and the client/server verbs over its files.
/// </summary>
public sealed class ExperimentEndToEndTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ExperimentWritesEverySaneFigureAndTheVerbsRoundTripItsFiles()
    {
        string outFolder = _folder["out"];
        var run = CliRun.Of("experiment", "--out", outFolder, "--synthetic-per-class", "8", "--epochs", "2", "--test-limit", "6",
            "--encrypted-limit", "2", "--timing-images", "1", "--seed", "3");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);

        foreach (string file in new[] { "report.json", "report.md", "report.html", "model.zip", "client/public.keys", "client/secret.key", "chunk-cnn.weights",
            "client/classes.txt", "server/public.keys", "server/classes.txt", ReportFiles.PerClassPng, ReportFiles.ConfusionPng, ReportFiles.GatePng, ReportFiles.SamplesPng })
        {
            Assert.True(File.Exists(Path.Combine(outFolder, file)), $"{file} missing");
        }

        // The secret key never sits beside what a server receives.
        Assert.False(File.Exists(Path.Combine(outFolder, "secret.key")));
        Assert.False(File.Exists(Path.Combine(outFolder, "server", "secret.key")));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, "report.json")));
        JsonElement root = json.RootElement;
        double Get(string path) => path.Split('.').Aggregate(root, (e, name) => e.GetProperty(name)).GetDouble();
        foreach (string fraction in new[] { "accuracy.originalCnn", "accuracy.plainChunkCnn", "accuracy.encryptedChunkCnn", "agreement", "featureChunkFraction",
            "leakage.attackerAccuracy", "leakage.chance", "leakage.clearPixelFraction", "leakage.allChunksAttackerAccuracy" })
        {
            Assert.InRange(Get(fraction), 0, 1);
        }

        // Encrypted and plaintext chunk CNN compute the same function: CKKS noise only.
        Assert.InRange(Get("maxLogitError"), 0, 0.05);
        Assert.Equal(1.0, Get("agreement"));
        foreach (string positive in new[] { "encryptionMsPerImage.wholeImage", "encryptionMsPerImage.allChunks", "encryptionMsPerImage.featureChunks",
            "inferenceMsPerImage", "evaluationKeyBytes" })
        {
            Assert.True(Get(positive) > 0, positive);
        }

        Assert.True(Get("uploadBytesPerImage") >= 0);
        Assert.Equal(128, Get("securityBits"));
        Assert.Equal(1.0 / 6, Get("leakage.chance"), 6);
        Assert.Equal(8, root.GetProperty("sizeTable").GetArrayLength());
        Assert.Contains("byte for byte", root.GetProperty("sizeTableNote").GetString());

        string html = File.ReadAllText(Path.Combine(outFolder, "report.html"));
        Assert.Contains("data:image/png;base64,", html);
        Assert.DoesNotContain("src=\"per-class", html);
        Assert.Contains("What selective encryption protects", File.ReadAllText(Path.Combine(outFolder, "report.md")));

        // report redraws from report.json alone.
        File.Delete(Path.Combine(outFolder, "report.md"));
        Assert.Equal(0, CliRun.Of("report", "--out", outFolder).ExitCode);
        Assert.True(File.Exists(Path.Combine(outFolder, "report.md")));

        // Client -> server -> client over files: the server gets the public keys only.
        string serverKeys = Path.Combine(outFolder, "server"), clientKeys = Path.Combine(outFolder, "client");
        string upload = _folder["upload.idv"], answers = _folder["answers.idv"], predictions = _folder["predictions.csv"];
        var encrypt = CliRun.Of("encrypt", "--data", Path.Combine(outFolder, "data"), "--keys", clientKeys, "--model", Path.Combine(outFolder, "model.zip"),
            "--out", upload, "--limit", "2", "--evaluation-upload");
        Assert.True(encrypt.ExitCode == 0, encrypt.Error);
        var score = CliRun.Of("score", "--model", Path.Combine(outFolder, "chunk-cnn.weights"), "--keys", serverKeys, "--in", upload, "--out", answers);
        Assert.True(score.ExitCode == 0, score.Error);
        var decrypt = CliRun.Of("decrypt", "--keys", clientKeys, "--in", answers, "--out", predictions);
        Assert.True(decrypt.ExitCode == 0, decrypt.Error);
        Assert.Contains("accuracy", decrypt.Output);
        string[] lines = File.ReadAllLines(predictions);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("label,predicted,Cr,In,PS,Pa,RS,Sc", lines[0]);
    }
}
