using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using MLNet.HeChunk.Cnn;

namespace MLNet.HeChunk.Cli.Tests;

/// <summary>One key folder (with class names alpha, bravo) shared by the hostile command-line tests; generating keys takes seconds.</summary>
public sealed class CliKeysFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public CliKeysFixture()
    {
        Keys = _folder["keys"];
        var run = CliRun.Of("keys", "--out", Keys, "--classes", "alpha,bravo");
        Assert.True(run.ExitCode == 0, run.Error);
    }

    public string Keys { get; }

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// Replays the command-line failures of issue 11: overwritten and world-readable secret keys, a key-generation bomb,
/// labels and clear images in uploads, truncated outputs after a failure, --limit -1, a flipped bit in public.keys,
/// class names guessed from data and unknown labels dropped from the metrics.
/// </summary>
public sealed class HostileCliTests : IClassFixture<CliKeysFixture>, IDisposable
{
    private readonly CliKeysFixture _keys;
    private readonly TempFolder _folder = new();

    public HostileCliTests(CliKeysFixture keys) => _keys = keys;

    public void Dispose() => _folder.Dispose();

    /// <summary>Class folders of noisy 32 x 32 PNGs (noise has edges everywhere, so every chunk is a feature chunk).</summary>
    private string Data(params string[] classes)
    {
        string root = _folder["data"];
        foreach (string name in classes)
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            for (int i = 1; i <= 2; i++)
            {
                var pixels = new byte[32 * 32 * 3];
                new Random(name.GetHashCode(StringComparison.Ordinal) + i).NextBytes(pixels);
                File.WriteAllBytes(Path.Combine(root, name, $"{name}_{i}.png"), Reporting.Png.PngEncoder.Encode(32, 32, pixels));
            }
        }

        return root;
    }

    [Fact]
    public void KeysAreOwnerOnlyAndNeverOverwrittenWithoutForce()
    {
        string secret = Path.Combine(_keys.Keys, "secret.key");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        }

        byte[] before = File.ReadAllBytes(secret);
        CliRun.Of("keys", "--out", _keys.Keys).AssertOneLineError("secret.key", "--force");
        Assert.Equal(before, File.ReadAllBytes(secret));
        Assert.Equal(["alpha", "bravo"], File.ReadAllLines(Path.Combine(_keys.Keys, "classes.txt")));
    }

    [Fact]
    public void TheSplitLayoutKeepsTheSecretKeyOutOfTheServerFolder()
    {
        // The helper the experiment is to call: client/ gets the full key folder, server/ never the secret key.
        var keys = Encryption.HeChunkKeys.Generate(Ckks.CkksParameters.Create(Ckks.CkksPresets.N8192Depth3), [1]);
        var (client, server) = Commands.KeyFolders.WriteSplit(keys, _folder["split"], ["alpha", "bravo"], passphrase: null, force: false);
        Assert.Equal(["classes.txt", "public.keys", "secret.key"], Directory.GetFiles(client).Select(Path.GetFileName).Order());
        Assert.Equal(["classes.txt", "public.keys"], Directory.GetFiles(server).Select(Path.GetFileName).Order());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(client, "secret.key")));
        }

        Assert.Throws<CliException>(() => Commands.KeyFolders.WriteSplit(keys, _folder["split"], null, null, force: false));
        Assert.Equal(keys.KeySetId, Encryption.HeChunkKeys.Load(Path.Combine(client, "public.keys"), Path.Combine(client, "secret.key")).KeySetId);
    }

    [Fact]
    public void AMillionChannelsFailAtOnceWithLittleMemory()
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var run = CliRun.Of("keys", "--out", _folder["bomb-keys"], "--channels", "1000000");
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        run.AssertOneLineError("--channels 1000000");
        Assert.False(Directory.Exists(_folder["bomb-keys"]));
        Assert.True(clock.ElapsedMilliseconds < 5000, $"took {clock.ElapsedMilliseconds} ms");
        Assert.True(allocated < 64L << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void UploadsCarryNoLabelsUnlessAnEvaluationUploadIsAsked()
    {
        string data = Data("alpha", "bravo");
        string upload = _folder["upload.idv"];
        var run = CliRun.Of("encrypt", "--data", data, "--keys", _keys.Keys, "--out", upload);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("no labels", run.Output);
        Assert.Contains("In the clear: no pixels", run.Output);
        var ml = new MLContext();
        Assert.Equal(["EncryptedChunks"], ml.Data.LoadFromBinary(upload).Schema.Select(c => c.Name));
        byte[] bytes = File.ReadAllBytes(upload);
        foreach (string label in new[] { "alpha", "bravo" })
        {
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(label)) < 0, $"the upload holds the label '{label}'");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(label)) < 0, $"the upload holds the label '{label}' (UTF-16)");
        }

        run = CliRun.Of("encrypt", "--data", data, "--keys", _keys.Keys, "--out", upload, "--evaluation-upload", "--limit", "1");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Label", ml.Data.LoadFromBinary(upload).Schema.Select(c => c.Name));
    }

    [Fact]
    public void FeatureModeRefusesAnImageThatWouldGoOutEntirelyInTheClear()
    {
        string data = Data("alpha", "bravo");
        // A flat image has no edge: the gate marks no chunk.
        File.WriteAllBytes(Path.Combine(data, "bravo", "bravo_3.png"), Reporting.Png.PngEncoder.Encode(32, 32, Enumerable.Repeat((byte)128, 32 * 32 * 3).ToArray()));
        string upload = _folder["upload.idv"];
        CliRun.Of("encrypt", "--data", data, "--keys", _keys.Keys, "--out", upload, "--mode", "FeatureChunks")
            .AssertOneLineError("bravo_3.png", "in the clear", "--allow-unencrypted-images");
        Assert.False(File.Exists(upload));

        var allowed = CliRun.Of("encrypt", "--data", data, "--keys", _keys.Keys, "--out", upload, "--mode", "FeatureChunks", "--allow-unencrypted-images");
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.Contains("In the clear: 1 of 5 images entirely", allowed.Output);
    }

    [Fact]
    public void AFailedEncryptLeavesThePreviousOutputIntact()
    {
        string data = Data("alpha", "bravo");
        string upload = _folder["upload.idv"];
        File.WriteAllText(upload, "previous upload");
        // A PNG whose header claims 100000 x 100000 pixels: refused by name before any decoding.
        byte[] bomb = Reporting.Png.PngEncoder.Encode(4, 4, new byte[48]);
        BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(16), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(20), 100_000);
        File.WriteAllBytes(Path.Combine(data, "alpha", "alpha_9.png"), bomb);
        CliRun.Of("encrypt", "--data", data, "--keys", _keys.Keys, "--out", upload).AssertOneLineError("alpha_9.png", "100000");
        Assert.Equal("previous upload", File.ReadAllText(upload));
    }

    [Fact]
    public void AnImageThatPassesItsHeaderCheckButDoesNotDecodeIsNamed()
    {
        string data = Data("alpha", "bravo");
        // A complete PNG structure whose compressed pixel data is garbage: the header check passes, the decoder fails.
        byte[] png = Reporting.Png.PngEncoder.Encode(32, 32, new byte[32 * 32 * 3]);
        for (int i = 41; i < png.Length - 16; i++)
        {
            png[i] ^= 0x5A;
        }

        File.WriteAllBytes(Path.Combine(data, "bravo", "bravo_7.png"), png);
        CliRun.Of("encrypt", "--data", data, "--keys", _keys.Keys, "--out", _folder["u.idv"]).AssertOneLineError("bravo_7.png");
    }

    [Fact]
    public void ANegativeLimitIsRefused() =>
        CliRun.Of("encrypt", "--data", _folder["data"], "--keys", _keys.Keys, "--out", _folder["u.idv"], "--limit", "-1").AssertOneLineError("--limit -1");

    [Fact]
    public void AFlippedBitInPublicKeysIsRefusedNamingTheFile()
    {
        string copy = _folder["flipped"];
        Directory.CreateDirectory(copy);
        byte[] keys = File.ReadAllBytes(Path.Combine(_keys.Keys, "public.keys"));
        keys[keys.Length / 2] ^= 0x01;
        File.WriteAllBytes(Path.Combine(copy, "public.keys"), keys);
        CliRun.Of("encrypt", "--data", Data("alpha", "bravo"), "--keys", copy, "--out", _folder["u.idv"]).AssertOneLineError("public.keys", "digest");
    }

    [Fact]
    public void ClassNamesAreNeverGuessedAndUnknownLabelsAreReported()
    {
        // Score with a random two-class model, decrypt with a key folder that lacks classes.txt, then with it.
        string data = Data("alpha", "bravo", "charlie");
        string upload = _folder["upload.idv"], answers = _folder["answers.idv"], weights = _folder["chunk-cnn.weights"];
        File.WriteAllBytes(weights, ChunkCnnWeightsSerializer.Serialize(RandomWeights(classCount: 2)));
        Assert.Equal(0, CliRun.Of("encrypt", "--data", data, "--keys", _keys.Keys, "--out", upload, "--evaluation-upload").ExitCode);
        var score = CliRun.Of("score", "--model", weights, "--keys", _keys.Keys, "--in", upload, "--out", answers);
        Assert.True(score.ExitCode == 0, score.Error);

        string noClasses = _folder["no-classes"];
        Directory.CreateDirectory(noClasses);
        foreach (string file in new[] { "public.keys", "secret.key" })
        {
            File.Copy(Path.Combine(_keys.Keys, file), Path.Combine(noClasses, file));
        }

        CliRun.Of("decrypt", "--keys", noClasses, "--in", answers).AssertOneLineError("no class names", "never guessed");

        // The class names travel with a model zip too: its chunk CNN scorer holds them.
        var ml = new MLContext(1);
        IDataView chunks = ml.Data.LoadFromEnumerable([new ChunkRow()]);
        string zip = _folder["model.zip"];
        Persistence.HeChunkModel.Save(ml, ml.Transforms.ScoreChunkCnn(RandomWeights(classCount: 2), ["alpha", "bravo"]).Fit(chunks), chunks.Schema, zip);
        var fromModel = CliRun.Of("decrypt", "--keys", noClasses, "--in", answers, "--model", zip, "--out", _folder["from-model.csv"]);
        Assert.True(fromModel.ExitCode == 0, fromModel.Error);
        Assert.StartsWith("label,predicted,alpha,bravo", File.ReadAllLines(_folder["from-model.csv"])[0]);

        var decrypt = CliRun.Of("decrypt", "--keys", _keys.Keys, "--in", answers, "--out", _folder["predictions.csv"]);
        Assert.True(decrypt.ExitCode == 0, decrypt.Error);
        Assert.Contains("2 (charlie): counted as errors", decrypt.Output);
        Assert.Contains("noise-flooded to 8-bit", decrypt.Output);
        Assert.Equal(7, File.ReadAllLines(_folder["predictions.csv"]).Length);

        // Circuit privacy on the server, flooding on the client: both run, and the answers are re-randomized.
        string rerandomized = _folder["rerandomized.idv"];
        var again = CliRun.Of("score", "--model", weights, "--keys", _keys.Keys, "--in", upload, "--out", rerandomized, "--rerandomize-bits", "8");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.NotEqual(File.ReadAllBytes(answers), File.ReadAllBytes(rerandomized));
        var decryptAgain = CliRun.Of("decrypt", "--keys", _keys.Keys, "--in", rerandomized, "--flood-bits", "0");
        Assert.True(decryptAgain.ExitCode == 0, decryptAgain.Error);
        Assert.Contains("full precision", decryptAgain.Output);
    }

    private sealed class ChunkRow
    {
        [Microsoft.ML.Data.VectorType(112 * 112)]
        public float[] Chunks { get; set; } = new float[112 * 112];
    }

    private static ChunkCnnWeights RandomWeights(int classCount)
    {
        var random = new Random(5);
        double[] Fill(int n, double s) => Enumerable.Range(0, n).Select(_ => s * (random.NextDouble() * 2 - 1)).ToArray();
        return new ChunkCnnWeights(112, 112, 28, 7, 7, 16, 128, classCount, 1 / 255.0, 0,
            Fill(16 * 49, 0.2), Fill(16, 0.1), Fill(128 * 256, 0.05), Fill(128, 0.1), Fill(classCount * 128, 0.1), Fill(classCount, 0.1));
    }
}
